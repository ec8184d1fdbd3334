package spec

// The imported layer is rebuilt from the vendor's metadata in fixtures/; the
// curated document (resourcedirectorymaster.yaml) imports it.
//go:generate go run ../cmd/acsconform import --metadata ../fixtures/metadata/resourcedirectorymaster-2022-04-19.api-docs.json --cite-as fixtures/metadata/resourcedirectorymaster-2022-04-19.api-docs.json -o resourcedirectorymaster.imported.yaml
