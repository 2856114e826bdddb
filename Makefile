# SPDX-License-Identifier: GPL-2.0
#
# nfsec top-level Makefile.
#
#   make               build kmod/nfsec.ko (Kbuild, against KDIR) and the
#                      userspace programs (ipsecctl, ikev2d)
#   make install       install the module under /lib/modules/KVER/updates,
#                      run depmod, install the programs and man pages
#   make check         THE test command: installs what it needs, builds, runs
#                      unit tests, KUnit (debug kernel) and the VM selftests
#   make check-slow    make check plus the tests too slow for CI ("# nfsec-test: slow")
#   make check-debug   the same with every selftest on the debug kernel
#   make demo          boot the VM and show nfsec at work
#   make stress        minutes of SPD/SAD churn and rekeys under iperf3 (VM)
#
# KDIR defaults to the running kernel's build tree, else the newest Debian
# amd64 headers (the kernel the VM bench boots).

KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; fi)
KVER = $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
DESTDIR ?=
PREFIX ?= /usr/local
DEPMOD ?= depmod
NFSEC_KO ?= kmod/nfsec.ko
# Build the debug-kernel module in a shadow tree so that both builds coexist.
DEBUG_BUILD := $(CURDIR)/build/debug

# Out-of-tree modules get no BTF (no vmlinux in the headers package); say so
# instead of having Kbuild print a notice on every build.
KBUILD_ARGS := CONFIG_DEBUG_INFO_BTF_MODULES=

all: module userspace

module:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel build tree: install linux-headers-amd64 or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_ARGS) modules

userspace:
	$(MAKE) -C userspace all

# The same sources, built against the debug kernel, in build/debug. The
# shadow tree links the sources so that objects of the two builds never mix.
module-debug:
	@kdir=$$(selftests/vm/debug-kernel --print) && \
	rm -rf $(DEBUG_BUILD) && mkdir -p $(DEBUG_BUILD)/kmod && \
	ln -s $(CURDIR)/Kbuild $(DEBUG_BUILD)/Kbuild && \
	ln -s $(CURDIR)/uapi $(DEBUG_BUILD)/uapi && \
	for f in $(CURDIR)/kmod/Kbuild $(CURDIR)/kmod/*.[ch]; do ln -s $$f $(DEBUG_BUILD)/kmod/; done && \
	$(MAKE) -C $$kdir M=$(DEBUG_BUILD) $(KBUILD_ARGS) modules && \
	mkdir -p $(DEBUG_BUILD)/splat && \
	for f in $(CURDIR)/selftests/vm/splat/Kbuild $(CURDIR)/selftests/vm/splat/*.c; do ln -s $$f $(DEBUG_BUILD)/splat/; done && \
	$(MAKE) -C $$kdir M=$(DEBUG_BUILD)/splat $(KBUILD_ARGS) modules

# Test-only modules (the splat detector's deliberate WARN); module-debug
# builds them for the debug kernel.
test-modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/vm/splat $(KBUILD_ARGS) modules

# Test programs the VM selftests run (the netlink fuzzer).
test-tools:
	$(MAKE) -C selftests/fuzz all

install: install-module install-userspace

install-module:
	@test -f $(NFSEC_KO) || { echo "$(NFSEC_KO) is not built: run make first" >&2; exit 1; }
	install -D -m 0644 $(NFSEC_KO) $(DESTDIR)/lib/modules/$(KVER)/updates/nfsec.ko
	$(DEPMOD) -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

install-userspace:
	$(MAKE) -C userspace install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

check:
	selftests/check

# make check plus the tests marked "# nfsec-test: slow" (too long for CI).
check-slow:
	NFSEC_SLOW=1 selftests/check

# The whole suite on the debug kernel (KASAN, lockdep, kmemleak): slower.
check-debug:
	NFSEC_CHECK_KERNEL=debug selftests/check

demo:
	selftests/demo/run

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/selftests/vm/splat clean
	$(MAKE) -C userspace clean
	$(MAKE) -C userspace/fuzz clean
	$(MAKE) -C selftests/fuzz clean
	rm -rf build

.PHONY: all module userspace module-debug test-modules test-tools install install-module \
	install-userspace check check-slow check-debug demo clean

# Benchmarks (not tests): numbers printed side by side with Linux XFRM in the
# same VM; see Documentation/performance.md.
bench: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 1800 -- env NFSEC_BENCH=1 \
		sh -c 'selftests/bench/tunnel.sh && selftests/bench/sa-install.sh'

bench-spd: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 3600 -- env NFSEC_BENCH=1 selftests/bench/spd.sh

bench-ike: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 3600 -- env NFSEC_BENCH=1 selftests/bench/ike.sh

bench-reorder: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 1800 -- env NFSEC_BENCH=1 selftests/bench/reorder.sh

bench-sendctx: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 1800 -- env NFSEC_BENCH=1 selftests/bench/sendctx.sh

.PHONY: bench bench-spd bench-ike bench-reorder bench-sendctx

# Stress runs (issue 7): minutes of churn and rekeys under traffic, too long
# for make check; see Documentation/security.md. NFSEC_STRESS_SECONDS (300).
stress: all
	NFSEC_VM_NOBUILD=1 selftests/vm/run --timeout 1800 -- selftests/stress/churn.sh

stress-debug: all module-debug
	NFSEC_VM_NOBUILD=1 selftests/vm/run --kernel debug --timeout 3600 -- selftests/stress/churn.sh

.PHONY: stress stress-debug

# libFuzzer targets for ikev2d (userspace/fuzz, clang): make fuzz runs each
# for FUZZ_SECONDS (default 60); make fuzz-smoke runs each for 10 s.
fuzz:
	$(MAKE) -C userspace/fuzz run

fuzz-smoke:
	$(MAKE) -C userspace/fuzz smoke

.PHONY: fuzz fuzz-smoke
