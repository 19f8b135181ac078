/** Where GitHub's error bodies point; Vigil's own REST docs. */
export const DOCS_URL = "https://github.com/vigil-scanner/vigil/blob/main/docs/api.md";

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
      documentation_url: DOCS_URL,
      status: String(this.status),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const notFound = (): ApiError => new ApiError(404, "Not Found");
