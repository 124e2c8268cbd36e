/** The version reported by the API (`/v3/openapi.json`) and `plumb --version`. */
export const plumbVersion = '0.1.0';
