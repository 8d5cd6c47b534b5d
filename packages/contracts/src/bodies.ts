/**
 * The bodies of the REST API that are not engine data: the error body every failure answers, and
 * the session (GET/POST /session). The server writes them, the web app reads them.
 */

/** Every error answer: a code (the engine's ErrorCode or the HTTP layer's), a message, details. */
export interface ApiErrorBody<Code extends string = string> {
  error: { code: Code; message: string; details: Record<string, unknown> };
}

/** GET and POST /session. */
export interface SessionInfo<Role extends string = string, Permission extends string = string> {
  /** `required`: requests need a signed-in session; `off`: every request acts as the local Administrator. */
  authentication: 'required' | 'off';
  signedIn: boolean;
  user: {
    name: string;
    role: Role;
    roleName: string;
    /** For a Checkpoint Operator: the VMs granted to it. */
    virtualMachines: string[];
    permissions: Permission[];
  } | null;
  /** Send it in the `X-CSRF-Token` header of every POST, PATCH and DELETE. */
  csrfToken: string | null;
  computerName: string;
}
