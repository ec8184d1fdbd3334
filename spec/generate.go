package spec

// The imported layers are rebuilt from the vendor's metadata in fixtures/ by
// make generate (acsconform generate-builtins), one per line of
// products.txt; each product's curated document imports its own.
