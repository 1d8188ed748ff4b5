# sluice: the two commands are `make demo` and `make test`. Both install what
# they need (Debian 12, as root) and build first.

BUILD      ?= build
ASAN_BUILD ?= build-asan
# make deb: a copy of the tree is built there, the package lands beside it
DEB_BUILD  ?= build-deb
# Xen Orchestra's OpenFlow client (npm's @xen-orchestra/openflow), for the
# OpenFlow test (node is checked for by command: a host may have it from
# elsewhere than Debian's packages)
XO_CLIENT  := tests/integration/xo_openflow

# Every Debian package the project needs to build, run, test and demo.
DEBIAN_PACKAGES := \
	gcc make pkg-config meson ninja-build \
	libdpdk-dev dpdk dpdk-dev \
	libpcap-dev libbpf-dev libxdp-dev libjansson-dev libcmocka-dev libmnl-dev \
	libssl-dev openssl clang libclang-rt-14-dev llvm libmicrohttpd-dev \
	python3 python3-scapy python3-prometheus-client tshark prometheus \
	iproute2 iputils-ping util-linux procps man-db groff-base \
	openvswitch-switch-dpdk \
	libsystemd-dev systemd debhelper dpkg-dev lintian git

# UBSan only prints by default; a finding must fail the test. Leaks in
# libraries we do not own are listed, with reasons, in tests/lsan.supp.
SANITIZER_ENV := UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all deps build asan-build install deb demo demo-ovsdb test unit fuzz fuzz-coverage bench reference clean

all: build

# Quick when everything is there: one dpkg-query per package, no apt-get.
deps:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$p"; \
	done; \
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		missing="$$missing nodejs npm"; \
	fi; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi
	@# the npm packages a test's client is built on, in that test's directory
	@[ -d $(XO_CLIENT)/node_modules/@xen-orchestra/openflow ] || \
		(cd $(XO_CLIENT) && npm ci --no-audit --no-fund --loglevel=error)

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=debugoptimized
	ninja -C $(BUILD)

asan-build: deps
	@[ -f $(ASAN_BUILD)/build.ninja ] || meson setup $(ASAN_BUILD) \
		--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(ASAN_BUILD)

# Where meson's prefix says (/usr/local unless the build was set up with
# another; DESTDIR=... for a staging root): docs/guide/operations.md.
install: build
	meson install -C $(BUILD) --no-rebuild

# The Debian package (debian/), built with debhelper in a copy of the tree
# (the files git knows, as they are now) so that nothing lands in it:
# $(DEB_BUILD)/sluice_*.deb, checked by lintian.
deb: deps
	rm -rf $(DEB_BUILD) && mkdir -p $(DEB_BUILD)/src
	git ls-files -z --cached --others --exclude-standard | \
		tar --null --ignore-failed-read -T - -cf - | tar -C $(DEB_BUILD)/src -xf -
	cd $(DEB_BUILD)/src && dpkg-buildpackage -b -us -uc -j2
	lintian --fail-on error $(DEB_BUILD)/sluice_*.deb

demo: build
	demo/run.sh $(BUILD)

# sluiced behind Debian's ovsdb-server, driven by networkd's ovs-vsctl
# commands, in a network namespace of its own (docs/guide/ovsdb.md).
demo-ovsdb: build
	unshare --net demo/ovsdb.sh $(BUILD)

# The whole suite, then the unit tests and the tests marked 'asan' again
# under AddressSanitizer and UndefinedBehaviorSanitizer.
test: build asan-build
	meson test -C $(BUILD) --print-errorlogs
	$(SANITIZER_ENV) meson test -C $(ASAN_BUILD) --suite asan --print-errorlogs

unit: build
	meson test -C $(BUILD) --suite unit --print-errorlogs

# Every fuzz target (tests/fuzz) for FUZZ_SECONDS each; what they find new
# stays in $(BUILD)/fuzz-corpus/<target> for the next run. A target is a
# seed corpus folder (each has one; fuzz_*.c also holds shared helpers).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := $(notdir $(wildcard tests/fuzz/corpus/*))
fuzz: build
	@for t in $(FUZZ_TARGETS); do \
		python3 tests/fuzz/run_fuzz.py $(BUILD)/tests/fuzz/fuzz_$$t \
			tests/fuzz/corpus/$$t $(FUZZ_SECONDS) $(BUILD)/fuzz-corpus/$$t || exit 1; \
	done

# What the fuzz targets reach of the datapath, line by line: a build of
# its own with clang's coverage, each target over its seeds and what make
# fuzz found since ($(BUILD)/fuzz-corpus), llvm-cov's summary.
COV_BUILD ?= build-fuzzcov
fuzz-coverage: deps
	@[ -f $(COV_BUILD)/build.ninja ] || meson setup $(COV_BUILD) \
		--buildtype=debugoptimized -Dfuzz_coverage=true
	ninja -C $(COV_BUILD) $(patsubst %,tests/fuzz/fuzz_%,$(FUZZ_TARGETS))
	python3 tests/fuzz/fuzz_coverage.py $(COV_BUILD) . $(BUILD)/fuzz-corpus

# The standard benchmark set: sluice, Open vSwitch's DPDK datapath and
# dpdk-testpmd side by side on every scenario (a few minutes); then the
# rule update round trip at 10,000 rules; then the traffic gap of a
# restart and of a takeover (in a network namespace of its own).
bench: build
	SLUICE_BUILD=$(CURDIR)/$(BUILD) bench/compare-ovs --json $(BUILD)/bench-results.json
	bench/rule_updates.py --build $(BUILD) --json $(BUILD)/bench-updates.json
	SLUICED=$(CURDIR)/$(BUILD)/main/sluiced SLUICECTL=$(CURDIR)/$(BUILD)/tools/sluicectl \
		PYTHONPATH=$(CURDIR)/tests/integration PYTHONDONTWRITEBYTECODE=1 \
		unshare --net -- /usr/bin/python3 bench/restart_gap.py

# The reference made from the code's tables (man pages, commands, drop
# reasons, error codes, bash completion); the test docs-reference fails
# until it is rerun after such a change.
reference: build
	$(BUILD)/docs/gen/gen-reference docs/reference tools/completion/sluicectl

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(DEB_BUILD) demo-out
