package spec

// The x-acs-* vocabulary: the names of the extensions the contract uses, in
// one place. Package spec reads them (load.go, operation.go); the importers
// and the generator name them only through these constants, so a renamed
// or added key is one change here. spec/README.md documents each.
const (
	ExtApi                = "x-acs-api"
	ExtChanges            = "x-acs-changes"
	ExtCuration           = "x-acs-curation"
	ExtDescription        = "x-acs-description"
	ExtDisagreements      = "x-acs-disagreements"
	ExtEcho               = "x-acs-echo"
	ExtEncoding           = "x-acs-encoding"
	ExtIn                 = "x-acs-in"
	ExtEnumDescriptions   = "x-acs-enum-descriptions"
	ExtErrors             = "x-acs-errors"
	ExtGateway            = "x-acs-gateway"
	ExtImports            = "x-acs-imports"
	ExtInputs             = "x-acs-inputs"
	ExtLayout             = "x-acs-layout"
	ExtLengthUnit         = "x-acs-length-unit"
	ExtLimits             = "x-acs-limits"
	ExtNeedlessWhen       = "x-acs-needless-when"
	ExtOperation          = "x-acs-operation"
	ExtPageDescription    = "x-acs-page-description"
	ExtPlatformErrors     = "x-acs-platform-errors"
	ExtProvenance         = "x-acs-provenance"
	ExtQuotas             = "x-acs-quotas"
	ExtRam                = "x-acs-ram"
	ExtRateLimit          = "x-acs-rate-limit"
	ExtRelations          = "x-acs-relations"
	ExtRequiredProvenance = "x-acs-required-provenance"
	ExtRules              = "x-acs-rules"
	ExtSources            = "x-acs-sources"
	ExtStyle              = "x-acs-style"
	ExtUnreadLimits       = "x-acs-unread-limits"
)
