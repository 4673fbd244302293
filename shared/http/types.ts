import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Payload 2.0 event; public routes have no authorizer block, admin routes carry the JWT claims. */
export type HttpEvent = Omit<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'> & {
  requestContext: Omit<APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'], 'authorizer'> & {
    authorizer?: APIGatewayProxyEventV2WithJWTAuthorizer['requestContext']['authorizer'];
  };
};
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export interface Caller {
  subject: string;
  groups: string[];
}

export interface RouteContext {
  event: HttpEvent;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Parsed body: JSON object, or the fields of a form post. */
  body: unknown;
  /** True when the request came from an HTML form (or asks for HTML). */
  isForm: boolean;
  caller?: Caller;
  sourceIp: string;
  /**
   * What the audit log records as the target of an admin action; default the path parameters (with
   * email addresses replaced by their hash). A handler sets it when the target needs other words.
   */
  auditTarget?: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => Promise<HttpResult>;
