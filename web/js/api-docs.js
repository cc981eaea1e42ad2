// The API reference page (GET /api/docs): Redoc renders the server's own OpenAPI description.
// Each operation shows who may call it: its x-roles, as Redoc's extension display ("roles").
/* global Redoc */
Redoc.init(
  '/api/openapi.yaml',
  {
    showExtensions: ['x-roles'],
    expandResponses: '200,201',
    hideDownloadButton: false,
    sortPropsAlphabetically: false,
  },
  document.getElementById('redoc'),
);
