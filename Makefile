# mamori: the two commands are `make synth` and `make test`. Both set up what
# they need on a fresh machine that has Go, Node.js/npm, make and git.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TOOLS_DIR := $(CURDIR)/.tools
TOOLS_BIN := $(TOOLS_DIR)/node_modules/.bin
TOOLS_STAMP := $(TOOLS_DIR)/node_modules/.mamori-installed

# The pinned Node.js comes first on PATH for every command below, so jsii and
# the CDK CLI never run on the machine's end-of-life Node.js.
export PATH := $(TOOLS_BIN):$(PATH)
# Keep the CLI offline and quiet: no notices or telemetry calls home.
export CDK_DISABLE_CLI_TELEMETRY := true
export CDK_DISABLE_NOTICES := true

# CONFIG picks a config file; empty means the embedded default.
CONFIG ?=
CDK := cdk --no-notices --no-version-reporting
CDK_CONFIG := $(if $(CONFIG),-c config=$(CONFIG),)
REVIEW_CONFIG := $(if $(CONFIG),-config $(CONFIG),)
FUZZTIME ?= 10s
# BASELINE is where `make baseline` records a config's templates and where
# `make diff CONFIG=...` reads them (default: baseline/<config name>).
BASELINE ?=
# ACCEPT_STATEFUL=1 lets `make diff` pass although a stateful resource
# would be replaced or removed: the deliberate decision, visible in CI logs.
ACCEPT_STATEFUL ?=
# ARGS are the CDK CLI's arguments for `make cdk`.
ARGS ?=

.PHONY: help setup synth test test-go test-node fuzz schema snapshots bootstrap deploy destroy clean diagrams cost diff baseline config ls cdk bench graphviz preflight adopt FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(TOOLS_STAMP): $(TOOLS_DIR)/package.json $(TOOLS_DIR)/package-lock.json
	cd $(TOOLS_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(TOOLS_STAMP) ## install the pinned Node.js, CDK CLI and cfn-guard, and download Go modules
	go mod download

synth: setup ## synthesize the architecture into cdk.out/ (CONFIG=path/to.yaml for another config)
	$(CDK) synth --quiet $(CDK_CONFIG)
	@echo "Templates written to cdk.out/"
	@go run ./cmd/mamori-review summary -assembly cdk.out $(REVIEW_CONFIG)

test: setup test-go test-node fuzz ## set up and run every test and check

# go test -json streams each package's events; internal/testfmt prints a
# line per package, the progress of the long ones (each fixture as it is
# synthesized, each slow test) and the output of whatever fails.
test-go:
	go vet ./...
	go test -json ./... | go run ./internal/testfmt

# Node tests on the pinned Node.js: deploy-time handler tests beside each handler
# (constructs/<layer>/handlers/*.test.js) and policy simulations over the
# synthesized templates (test/**/*.test.mjs). NODE_PATH finds the test-only
# packages pinned in .tools/.
test-node:
	NODE_PATH=$(TOOLS_DIR)/node_modules node --test 'constructs/**/*.test.js' 'test/**/*.test.mjs'

fuzz: ## fuzz the config loader briefly (FUZZTIME=10s)
	go test ./config -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)

schema: ## regenerate config/schema.json and docs/configuration.md from the Go types
	go generate ./config

snapshots: setup ## regenerate the golden template snapshots after a deliberate change
	go test ./test/... -run TestSnapshots -update

# Review: see docs/reviewing.md. Without CONFIG, every example config
# (outputs in docs/review/, the goldens of make test).
diagrams: setup graphviz ## render the architecture diagram, cost and summary (CONFIG=path: that config into review/<name>/; default: every example into docs/review/)
	go run ./cmd/mamori-review diagrams $(if $(CONFIG),-config $(CONFIG) -out review,-out docs/review)

graphviz:
	@command -v dot >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get install -y --no-install-recommends graphviz; \
	  else echo "make diagrams needs Graphviz's dot: install it (Debian/Ubuntu: sudo apt-get install graphviz; macOS: brew install graphviz)"; exit 1; fi; }

cost: setup ## print the cost estimate of a config (CONFIG=path/to.yaml; default: the embedded default)
	@go run ./cmd/mamori-review cost $(REVIEW_CONFIG)

config: ## print the effective config, every default resolved, with where each value came from (CONFIG=path)
	@go run ./cmd/mamori-review config $(REVIEW_CONFIG)

baseline: setup ## record a config's templates into BASELINE (default baseline/<name>) for make diff; commit them
	@go run ./cmd/mamori-review baseline $(REVIEW_CONFIG) $(if $(BASELINE),-out $(BASELINE),)

diff: setup ## offline CloudFormation diff; fails on a stateful replacement or removal unless ACCEPT_STATEFUL=1 (CONFIG=path [BASELINE=dir]: against make baseline; default: the examples against the snapshots, FIXTURE=name for one)
	@go run ./cmd/mamori-review diff $(if $(CONFIG),-config $(CONFIG) $(if $(BASELINE),-baseline $(BASELINE),),$(if $(FIXTURE),-fixture $(FIXTURE),)) $(if $(ACCEPT_STATEFUL),-accept-stateful,)

ls: setup ## list the stacks of a config with the pinned CDK CLI (CONFIG=path)
	@$(CDK) ls $(CDK_CONFIG)

cdk: setup ## run the pinned CDK CLI on the pinned Node.js: make cdk ARGS="diff mamori-detection-us-east-1" (CONFIG=path)
	$(CDK) $(ARGS) $(CDK_CONFIG)

bench: setup ## synth time and peak memory of every example config against a one-resource CDK app
	@go run ./cmd/mamori-review bench

bootstrap: setup ## (needs AWS credentials) bootstrap every account and region the config deploys to
	$(CDK) bootstrap $(CDK_CONFIG)

deploy: setup ## (needs AWS credentials) deploy every stack, in dependency order
	$(CDK) deploy --all $(CDK_CONFIG)

destroy: setup ## (needs AWS credentials) delete every stack; retained resources stay (docs/deploying.md says which and how to remove them)
	$(CDK) destroy --all $(CDK_CONFIG)

# The binary, not `go run`, so that its exit code (0 ready, 1 act, 2 cannot
# check) reaches make's error line and scripts that call it.
PREFLIGHT_BIN := .cache/bin/mamori-preflight
PREFLIGHT := $(PREFLIGHT_BIN) $(if $(CONFIG),-config $(CONFIG),)
IMPORTS := cdk.out/imports

$(PREFLIGHT_BIN): FORCE
	@go build -o $@ ./cmd/mamori-preflight

FORCE:

preflight: $(PREFLIGHT_BIN) ## (needs AWS credentials, read-only) check the accounts before a deploy: what exists, what mamori will do, what you must do (docs/preflight.md)
	@$(PREFLIGHT)

# adopt: import what the config adopts (existing: adopt), one stack at a time,
# then deploy. Preflight must exit 0 first; see docs/preflight.md.
adopt: setup $(PREFLIGHT_BIN) ## (needs AWS credentials) import the existing resources the config adopts, then deploy every stack
	$(CDK) synth --quiet $(CDK_CONFIG) -c mamori:adopting=true
	rm -rf $(IMPORTS)
	$(PREFLIGHT) -assembly cdk.out -imports $(IMPORTS)
	@files=$$(ls $(IMPORTS)/*.json 2>/dev/null); \
	[ -n "$$files" ] || echo "nothing to import: the deploy adopts the rest in place (AWS Config)"; \
	for f in $$files; do \
	  stack=$$(basename $$f .json); \
	  echo "importing into $$stack: $$f"; \
	  $(CDK) import $$stack --app cdk.out --resource-mapping $$f || exit 1; \
	done
	$(CDK) deploy --all $(CDK_CONFIG)

clean: ## remove build output and installed tools
	rm -rf cdk.out $(TOOLS_DIR)/node_modules
