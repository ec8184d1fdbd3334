package spec

// The imported layers are rebuilt from the vendor's metadata in fixtures/; each
// product's curated document (resourcedirectorymaster.yaml, resourcemanager.yaml)
// imports its own.
//go:generate go run ../cmd/acsconform import --layer --metadata ../fixtures/metadata/resourcedirectorymaster-2022-04-19.api-docs.json --cite-as fixtures/metadata/resourcedirectorymaster-2022-04-19.api-docs.json -o resourcedirectorymaster.imported.yaml
//go:generate go run ../cmd/acsconform import --layer --metadata ../fixtures/metadata/resourcemanager-2020-03-31.api-docs.json --cite-as fixtures/metadata/resourcemanager-2020-03-31.api-docs.json -o resourcemanager.imported.yaml
//go:generate go run ../cmd/acsconform import --layer --metadata ../fixtures/metadata/sts-2015-04-01.api-docs.json --cite-as fixtures/metadata/sts-2015-04-01.api-docs.json -o sts.imported.yaml
