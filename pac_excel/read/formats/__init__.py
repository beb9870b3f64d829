"""One bounded scanner or reader per file family: xlsx, xls (BIFF and its CFB container), ods, text."""
