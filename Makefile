# Shortcuts; `bash .ci/run` (= `make test`) is the one command that runs everything.
.PHONY: test header readme c-tests c-tests-dialects footprint bench clean
test:
	bash .ci/run
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
