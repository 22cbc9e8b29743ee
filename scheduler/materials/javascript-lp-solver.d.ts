/**
 * The slice of javascript-lp-solver that lp.ts uses. The package ships declarations, but they
 * are read as CommonJS under NodeNext while Node loads its ESM build, so the default export's
 * type would be wrong; this ambient module states what the ESM build really exports.
 */
declare module 'javascript-lp-solver' {
  interface JsLpModel {
    optimize: string;
    opType: 'max' | 'min';
    constraints: Record<string, { min?: number; max?: number; equal?: number }>;
    variables: Record<string, Record<string, number>>;
    binaries?: Record<string, 1>;
    /** Milliseconds for the branch and bound; the best integer solution so far is kept. */
    timeout?: number;
  }
  const solver: { Solve(model: JsLpModel): unknown };
  export default solver;
}
