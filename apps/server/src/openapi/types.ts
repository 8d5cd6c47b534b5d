/** The parts of the OpenAPI 3.1 object model this server uses. */
export type JsonSchema = Record<string, unknown>;

export interface MediaType {
  schema: JsonSchema;
}

export type Content = Record<string, MediaType>;
export type Headers = Record<string, { description: string; schema: JsonSchema }>;

export interface ResponseObject {
  description: string;
  headers?: Headers;
  content?: Content;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: JsonSchema;
}

export interface ReferenceObject {
  $ref: string;
}

export interface OperationObject {
  operationId: string;
  summary: string;
  tags: string[];
  parameters?: ParameterObject[];
  requestBody?: { required: boolean; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | ReferenceObject>;
  /** Who may call it: `x-permission` names the permission of apps/server/src/auth/roles.ts. */
  security?: Record<string, string[]>[];
  'x-permission'?: string;
}

export interface SecuritySchemeObject {
  type: 'apiKey';
  in: 'cookie' | 'header';
  name: string;
  description: string;
}

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';
export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItemObject>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    securitySchemes: Record<string, SecuritySchemeObject>;
  };
}
