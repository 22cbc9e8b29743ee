/**
 * A stand-in SAP Gateway for the connector tests: the scriptable HTTP server of the write-back
 * tests (`test-erp.ts`) with routes per service and entity path, answering from the fixture
 * files (SAP's own JSON shapes). Requests are recorded and can be read back decoded, so tests
 * assert the exact calls: service, entity path, query options and headers.
 */
import { readFileSync } from 'node:fs';
import { startTestErp, type RecordedRequest, type Reply, type TestErp } from '../../writeback/test-erp.ts';

export const SERVICES = {
  productionOrder: 'API_PRODUCTION_ORDER_2_SRV',
  workCenters: 'API_WORK_CENTERS',
  materialStock: 'API_MATERIAL_STOCK_SRV',
  batch: 'API_BATCH_SRV',
  purchaseOrder: 'API_PURCHASEORDER_PROCESS_SRV',
  product: 'API_PRODUCT_SRV',
} as const;

export interface Decoded {
  readonly method: string;
  readonly service: string;
  /** The entity path after the service root, decoded: `A_ProductionOrder_2('1000100')`. */
  readonly path: string;
  /** Query options, decoded, without `sap-client`. */
  readonly query: Readonly<Record<string, string>>;
  readonly sapClient: string | null;
}

export function decode(request: RecordedRequest): Decoded {
  const url = new URL(request.url, 'http://stub');
  const match = /^\/sap\/opu\/odata\/sap\/([^/]+)\/?(.*)$/.exec(url.pathname);
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (key !== 'sap-client') query[key] = value;
  return {
    method: request.method,
    service: match?.[1] ?? '',
    path: decodeURIComponent(match?.[2] ?? ''),
    query,
    sapClient: url.searchParams.get('sap-client'),
  };
}

/** A fixture file as JSON; `{{root}}` in it (server links such as `__next`) becomes the stub's service root. */
export function fixture(name: string, root = ''): unknown {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text.replaceAll('{{root}}', root)) as unknown;
}

/** SAP's error body. */
export function sapError(code: string, message: string): unknown {
  return { error: { code, message: { lang: 'en', value: message }, innererror: { application: { component_id: 'PP-SFC' } } } };
}

export type Handler = (request: RecordedRequest, decoded: Decoded) => Reply;

export interface SapStub {
  readonly host: string;
  readonly requests: RecordedRequest[];
  root(service: keyof typeof SERVICES): string;
  /** Routes are tried in the order added; the first whose method, service and path match answers. */
  on(method: string, service: keyof typeof SERVICES, path: string | RegExp, handler: Handler): void;
  reset(): void;
  decoded(): Decoded[];
  close(): Promise<void>;
}

export async function startSapStub(): Promise<SapStub> {
  const routes: { method: string; service: string; path: string | RegExp; handler: Handler }[] = [];
  const erp: TestErp = await startTestErp((request) => {
    const d = decode(request);
    const route = routes.find((r) => r.method === d.method && r.service === d.service
      && (typeof r.path === 'string' ? r.path === d.path : r.path.test(d.path)));
    return route === undefined
      ? { status: 404, body: sapError('/IWFND/CM_MGW/020', `Resource not found for segment '${d.path}'`) }
      : route.handler(request, d);
  });
  return {
    host: erp.url,
    requests: erp.requests,
    root: (service) => `${erp.url}/sap/opu/odata/sap/${SERVICES[service]}`,
    on(method, service, path, handler) {
      routes.push({ method, service: SERVICES[service], path, handler });
    },
    reset() {
      routes.length = 0;
      erp.requests.length = 0;
    },
    decoded: () => erp.requests.map(decode),
    close: () => erp.close(),
  };
}
