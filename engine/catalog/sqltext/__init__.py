"""SQL text: statement splitting, value grammars and `@@VARIABLE@@` templates. The catalog
checks a function's template with it; the Redshift phase renders and splits with it."""
