/** An API failure with Alibaba's code and HTTP status. Thrown once, rendered once by the gateway. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const missingParameter = (name: string): ApiError =>
  new ApiError(`MissingParameter.${name}`, 400, `The input parameter "${name}" that is mandatory for processing this request is not supplied.`);

export const invalidParameter = (name: string, reason: string, code = `InvalidParameter.${name}`): ApiError =>
  new ApiError(code, 400, `The parameter "${name}" is invalid: ${reason}`);

export const entityNotExist = (code: string, what: string): ApiError => new ApiError(code, 404, `The ${what} does not exist.`);

export const entityAlreadyExists = (code: string, what: string): ApiError => new ApiError(code, 409, `The ${what} already exists.`);
