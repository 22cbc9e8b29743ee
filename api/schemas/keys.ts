/** Requests and answers of the API key routes. Only the creation's answer has a token. */
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../../sync/keys/port.ts';
import { ReadonlyArrayOf, StringEnum } from './common.ts';

const Scope = StringEnum(SCOPES);
const Plant = Type.String({ minLength: 1, maxLength: 200 });

export const KeyBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'Who uses it: "ERP", "MES line 2", "Ada (planner)".' }),
    scopes: Type.Array(Scope, { minItems: 1, maxItems: SCOPES.length, uniqueItems: true }),
    plants: Type.Optional(Type.Union([Type.Array(Plant, { minItems: 1, maxItems: 1_000, uniqueItems: true }), Type.Null()], {
      description: 'Omitted or null: every plant.',
    })),
  },
  { additionalProperties: false, title: 'NewApiKey' },
);

export const KeyParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

const keyFields = {
  id: Type.String(),
  name: Type.String(),
  scopes: ReadonlyArrayOf(Scope),
  plants: Type.Union([ReadonlyArrayOf(Type.String()), Type.Null()]),
  revoked: Type.Boolean(),
};

export const KeySchema = Type.Object(keyFields, { title: 'ApiKey' });
export const KeyWithTokenSchema = Type.Object(
  { ...keyFields, token: Type.String({ description: 'The bearer token, shown this once: takt keeps only its hash.' }) },
  { title: 'NewApiKeyWithToken' },
);
export const KeyListSchema = Type.Object({ keys: ReadonlyArrayOf(KeySchema) }, { title: 'ApiKeyList' });
