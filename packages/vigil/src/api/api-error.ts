/** Where GitHub's error bodies point; Vigil's own REST docs. */
export const DOCS_URL = "https://github.com/vigil-scanner/vigil/blob/main/docs/api.md";

/** The section of docs/api.md that explains an error status (a test checks each anchor is a heading there). */
export function documentationUrl(status: number): string {
  if (status === 401 || status === 403 || status === 404) return `${DOCS_URL}#authentication-roles-and-scopes`;
  return `${DOCS_URL}#errors`;
}

export interface ValidationErrorItem {
  resource: string;
  field: string;
  code: "missing" | "missing_field" | "invalid" | "already_exists" | "unprocessable" | "custom";
  message?: string;
  value?: unknown;
}

/**
 * An HTTP error that renders itself in GitHub's body shape (`basic-error`, or `validation-error`
 * on 422). Messages never carry a secret.
 */
export class ApiError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 415 | 422 | 500;
  readonly errors: ValidationErrorItem[] | undefined;

  constructor(status: ApiError["status"], message: string, errors?: ValidationErrorItem[]) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.errors = errors;
  }

  toJSON(): Record<string, unknown> {
    return {
      message: this.message,
      documentation_url: documentationUrl(this.status),
      status: String(this.status),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const notFound = (): ApiError => new ApiError(404, "Not Found");
