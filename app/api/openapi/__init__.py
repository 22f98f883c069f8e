"""The partner API's OpenAPI 3.1 document, built from the API's own routes and body models."""
