# Shortcuts; `bash .ci/run` (= `make test`) is the one command that runs everything.
.PHONY: demo net-tests test header readme c-tests c-tests-dialects footprint bench clean
test:
	bash .ci/run
# The demo: builds lwat and lwat-module, creates the test server's venv
# (.venv, pinned aiocoap), starts the server on 127.0.0.1 and plays an MCU
# session per profile (tools/demo.py). Exits 0 only if every step happened.
demo:              ## MCU sessions for onemo, bc260y, qla against a local LwM2M server
	@command -v cargo >/dev/null || { echo "demo: needs cargo (https://rustup.rs)"; exit 1; }
	@command -v cc >/dev/null || { echo "demo: needs a C compiler (apt-get install gcc make)"; exit 1; }
	@python3 -c 'import venv, ensurepip' 2>/dev/null || { echo "demo: needs python3 with venv (apt-get install python3-venv)"; exit 1; }
	$(MAKE) -s -C examples-c/posix-module all
	@py="$$(tests/server/setup-venv.sh | tail -n 1)" && \
	  LWAT_MODULE=$(CURDIR)/examples-c/posix-module/build/lwat-module timeout 300 "$$py" tools/demo.py
net-tests:         ## lwat-module against the test LwM2M server (tests/net/run.sh)
	tests/net/run.sh
header:            ## regenerate include/lwat.h with cbindgen
	tools/check-header.sh --fix
readme:            ## regenerate the README's capacity, footprint and benchmark tables
	python3 tools/readme-capacities.py --fix
	tools/footprint.sh | python3 tools/readme-section.py footprint
	tools/bench.sh 200 | python3 tools/readme-section.py bench
c-tests:           ## C API contract under valgrind
	$(MAKE) -C ffi-tests test
c-tests-dialects:  ## MIPL/QLA commands through the C API (needs the dialects)
	$(MAKE) -C ffi-tests test-dialects
footprint:         ## flash/RAM table for the thumb targets
	tools/footprint.sh
bench:             ## instructions per call under callgrind
	tools/bench.sh
clean:
	cargo clean
	$(MAKE) -C ffi-tests clean
