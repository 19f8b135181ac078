import type { TokenRecord } from "../alerts/alert-store.js";
import type { User } from "../alerts/types.js";

/** What the authentication middleware puts on the request context. */
export interface ApiEnv {
  Variables: {
    user: User;
    token: TokenRecord;
    /** Origin and API root used to build `url`/`html_url` fields and `Link` headers. */
    urls: ApiUrls;
  };
}

export interface ApiUrls {
  /** e.g. `http://vigil.example:8080` (web pages: alerts, bypass). */
  web: string;
  /** e.g. `http://vigil.example:8080/api/v3`. */
  api: string;
}
