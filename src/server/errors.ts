/**
 * Problems people can act on (RFC 9457). Services throw them; the HTTP layer sends them as
 * application/problem+json.
 */

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** choose-workspace: the workspaces the password opened. */
  workspaces?: { id: string; name: string }[];
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly workspaces?: { id: string; name: string }[],
  ) {
    super(detail);
  }

  toProblem(): Problem {
    return {
      type: `/problems/${this.slug}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.workspaces ? { workspaces: this.workspaces } : {}),
    };
  }
}

export const invalid = (detail: string, errors?: FieldError[]) =>
  new ProblemError(400, 'invalid-request', 'Invalid request', detail, errors);

export const unauthenticated = (detail = 'Sign in, or send an API key as a Bearer token.') =>
  new ProblemError(401, 'unauthenticated', 'Not signed in', detail);

export const forbidden = (detail: string) =>
  new ProblemError(403, 'forbidden', 'Not allowed', detail);

export const notFound = (what: string) =>
  new ProblemError(404, 'not-found', 'Not found', `No ${what} with this id in your workspace.`);

export const conflict = (detail: string, errors?: FieldError[]) =>
  new ProblemError(409, 'conflict', 'Not allowed in the current state', detail, errors);

export const unprocessable = (detail: string, errors?: FieldError[]) =>
  new ProblemError(422, 'unprocessable', 'Cannot be done', detail, errors);

export const tooManyRequests = (detail: string) =>
  new ProblemError(429, 'rate-limited', 'Too many requests', detail);

/** The same email and password open accounts in several workspaces: the person picks one. */
export const chooseWorkspace = (workspaces: { id: string; name: string }[]) =>
  new ProblemError(
    409,
    'choose-workspace',
    'Choose a workspace',
    'You have an account in several workspaces: choose the one to sign in to.',
    [{ path: 'workspaceId', message: 'Choose a workspace.' }],
    workspaces,
  );
