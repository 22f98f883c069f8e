"""The browser portal: server-rendered pages and WTForms forms."""
