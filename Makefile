# acsconform — run `make help` for the list of targets.
SHELL := /bin/bash
GO ?= go
BIN := bin
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(BIN)/staticcheck-$(STATICCHECK_VERSION)
FUZZTIME ?= 60s
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/acsconform/acsconform/cli.version=$(VERSION)
# Each fuzz target runs FUZZ_SHORT in `make test` (a count of executions: a time
# bound races the fuzz coordinator's deadline on short runs), FUZZTIME under `make fuzz`.
FUZZ_SHORT ?= 1000x
# How long the fuzzer may minimise an input it found: Go's 60s default per
# new interesting input dominated the short runs on a loaded machine.
FUZZMINIMIZE ?= 60s
FUZZ_TARGETS := ./spec:FuzzParse ./acs:FuzzParseUTC ./conformance/report:FuzzParseBaseline ./acs:FuzzVerify ./acs:FuzzDecodeRepeatList ./acs:FuzzDecodeError ./internal/codegen:FuzzDFA ./spec/docimport:FuzzParsePage ./internal/yamlcheck:FuzzDecode ./mock:FuzzOpenJournal ./spec/metaimport:FuzzImport ./conformance/provision:FuzzParseRecord
# The limit for one package's tests in `make test`: well above the slowest
# package on a loaded 2-core machine (Go's default of 10m is not).
TEST_TIMEOUT ?= 25m
# Folders whose content `make generate` owns.
GEN_DIRS := spec gen conformance mock

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build the acsconform binary into bin/ (version from git describe).
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/acsconform ./cmd/acsconform

.PHONY: install
install: ## Install the acsconform binary into $(go env GOBIN) or $(go env GOPATH)/bin, which should be on PATH.
	$(GO) install -ldflags "$(LDFLAGS)" ./cmd/acsconform

# The container builder make image uses: podman, buildah or docker, the first found.
CONTAINER ?= $(shell for c in podman buildah docker; do command -v $$c >/dev/null 2>&1 && { echo $$c; break; }; done)

.PHONY: image
image: ## Build the mock's container image (Dockerfile) with podman, buildah or docker.
	@mkdir -p $(BIN)/image
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/image/acsconform ./cmd/acsconform
	@if [ -z "$(CONTAINER)" ]; then echo "no podman, buildah or docker here: the binary is in $(BIN)/image; build the image where one is (see Dockerfile)"; exit 1; fi
	@if [ "$(CONTAINER)" = buildah ]; then buildah bud -t acsconform-mock -f Dockerfile $(BIN)/image; else $(CONTAINER) build -t acsconform-mock -f Dockerfile $(BIN)/image; fi

.PHONY: conformance
conformance: ## The main job: the conformance suite of each product against the embedded mock (reports in reports/).
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/acsconform test --report-dir reports
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/acsconform test --contract resourcemanager --report-dir reports/resourcemanager
	$(GO) run -ldflags "$(LDFLAGS)" ./cmd/acsconform test --contract sts --report-dir reports/sts

.PHONY: test
test: vet staticcheck check-generated node-deps ## vet, staticcheck, generated-code check, go test -race, short fuzzing.
	$(GO) test -race -count=1 -timeout $(TEST_TIMEOUT) ./...
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_SHORT) FUZZMINIMIZE=100x

.PHONY: node-deps
node-deps: ## The official Node.js SDK packages the interop tests drive (npm ci from the committed lock file; skipped without npm).
	@if command -v npm >/dev/null 2>&1; then \
		cd interop/testdata/node && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error; \
	else echo "node-deps: npm is not installed: the Node SDK interop test will skip"; fi

.PHONY: vet
vet: ## go vet.
	$(GO) vet ./...

$(STATICCHECK):
	@mkdir -p $(BIN)
	GOBIN=$(abspath $(BIN)) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	mv $(BIN)/staticcheck $(STATICCHECK)

.PHONY: staticcheck
staticcheck: $(STATICCHECK) ## staticcheck at a pinned version (installed into bin/).
	$(STATICCHECK) ./...

.PHONY: lint
lint: vet staticcheck ## Go linters, gofmt and the contract lint.
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run ./cmd/acsconform lint spec/resourcedirectorymaster.yaml

.PHONY: generate
generate: ## Regenerate every built-in product's imported layer (from fixtures/), its package (gen/) and the mock's registration, then the rest generated from the contracts.
	$(GO) run ./cmd/acsconform generate-builtins
	$(GO) generate ./...

.PHONY: check-generated
check-generated: ## Fail when generated code or go.mod differ from a fresh generation.
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run 'go mod tidy'"; exit 1; }
	@snap=$$(mktemp -d); for d in $(GEN_DIRS); do [ -d $$d ] && mkdir -p $$snap/$$d && cp -R $$d/. $$snap/$$d/; done; \
	$(MAKE) --no-print-directory generate >/dev/null || exit 1; \
	status=0; for d in $(GEN_DIRS); do mkdir -p $$snap/$$d; [ -d $$d ] || mkdir -p $$d; \
		if ! diff -r $$snap/$$d $$d >/dev/null 2>&1; then \
			echo "generated files in $$d differ from a fresh generation (run 'make generate' and commit):"; \
			diff -r $$snap/$$d $$d | head -40; status=1; fi; done; \
	rm -rf $$snap; exit $$status

.PHONY: browser
browser: ## Install Debian's chromium for the report's browser test, when missing.
	@scripts/install-browser.sh

.PHONY: tools
tools: browser ## Install what the optional tests use, when missing: chromium, xmllint, podman.
	@scripts/install-xmllint.sh
	@scripts/install-podman.sh

.PHONY: bench
bench: ## The benchmarks that matter in one run, and their ratios (validators, mock load, client, suite); bench-all runs every benchmark.
	@GO=$(GO) scripts/bench.sh

.PHONY: bench-all
bench-all: ## Every benchmark with -benchmem.
	$(GO) test -run '^$$' -bench . -benchmem ./...

.PHONY: fuzz
fuzz: ## Each fuzz target for FUZZTIME (default 60s).
	@set -e; for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZE) $$pkg; done

.PHONY: clean
clean: ## Remove build outputs.
	rm -rf $(BIN)
