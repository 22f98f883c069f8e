// Starts Swagger UI on the element #swagger-ui, with the OpenAPI document named by its
// data-document-url. A file of its own, because the Content-Security-Policy allows no inline
// script (app/security.py).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.documentUrl,
    domNode: root,
    deepLinking: true,
    // The default validator badge would send the document to validator.swagger.io.
    validatorUrl: null,
  });
})();
