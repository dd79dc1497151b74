# Packaging of clarifai-core's C library. Cargo builds; this installs.
#
#   make                                  cargo build --release -p clarifai-core
#   make install PREFIX=/usr/local        (DESTDIR=/staging for packagers)
#   make install-strip ...                the same, without debug info (what the packages ship)
#   make uninstall PREFIX=/usr/local
#   make dist                             every package into dist/ (scripts/package)
#   make -s print-version                 the version, from Cargo.toml
#   make -s print-pc PREFIX=/usr          the clarifai.pc that install writes, on stdout
#
# Installs lib/libclarifai.so.VERSION with the symlinks libclarifai.so.MAJOR (the soname) and
# libclarifai.so (for -lclarifai), lib/libclarifai.a, include/clarifai.h and
# lib/pkgconfig/clarifai.pc. The version comes from Cargo.toml, so it cannot drift.
#
# PC_PREFIX is the prefix written into clarifai.pc (default PREFIX). libdir and includedir are
# written relative to it when they lie under PREFIX, so PC_PREFIX='$${pcfiledir}/../..' makes a
# tree that works wherever it is unpacked (the release tarball is made that way).

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
PC_PREFIX ?= $(PREFIX)
CARGO ?= cargo
INSTALL ?= install
STRIP ?= strip
CLARIFAI_LIB_DIR ?= target/release

# The [package] version, not a dependency's or the workspace's.
VERSION := $(shell awk '/^\[/{p = ($$0 == "[package]")} p && /^version *=/ {gsub(/^[^"]*"|".*$$/, ""); print; exit}' Cargo.toml)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libclarifai.so.$(MAJOR)
REALNAME := libclarifai.so.$(VERSION)

# A directory under PREFIX is written as ${prefix}/..., as autotools does.
pc_dir = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
define write_pc
sed -e 's|@PREFIX@|$(PC_PREFIX)|g' -e 's|@LIBDIR@|$(call pc_dir,$(LIBDIR))|g' \
	-e 's|@INCLUDEDIR@|$(call pc_dir,$(INCLUDEDIR))|g' -e 's|@VERSION@|$(VERSION)|g' pkg/clarifai.pc.in
endef

.PHONY: all install install-strip uninstall dist print-version print-pc
all:
	$(CARGO) build --release -p clarifai-core

# Built only when missing: `make install` after `make` must not rebuild (and so must not need
# cargo at install time, e.g. under sudo).
$(CLARIFAI_LIB_DIR)/libclarifai.so $(CLARIFAI_LIB_DIR)/libclarifai.a:
	$(CARGO) build --release -p clarifai-core

install: $(CLARIFAI_LIB_DIR)/libclarifai.so $(CLARIFAI_LIB_DIR)/libclarifai.a pkg/clarifai.pc.in include/clarifai.h
	@test -n "$(VERSION)" || { echo "no [package] version in Cargo.toml" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	$(INSTALL) -m 755 $(CLARIFAI_LIB_DIR)/libclarifai.so $(DESTDIR)$(LIBDIR)/$(REALNAME)
	ln -sf $(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libclarifai.so
	$(INSTALL) -m 644 $(CLARIFAI_LIB_DIR)/libclarifai.a $(DESTDIR)$(LIBDIR)/libclarifai.a
	$(INSTALL) -m 644 include/clarifai.h $(DESTDIR)$(INCLUDEDIR)/clarifai.h
	$(write_pc) > $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc

# The release build keeps its debug info (about 90% of the .so, half of the .a). The shared
# library loses everything a loader does not need, as dh_strip does; the archive keeps its
# symbol tables (a linker needs them) and loses only debug info, and gets zero timestamps and
# owners so that it is the same bytes on every build.
install-strip: install
	$(STRIP) --strip-unneeded --remove-section=.comment --remove-section=.note $(DESTDIR)$(LIBDIR)/$(REALNAME)
	$(STRIP) --strip-debug --remove-section=.comment --remove-section=.note --enable-deterministic-archives \
		$(DESTDIR)$(LIBDIR)/libclarifai.a

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libclarifai.so \
		$(DESTDIR)$(LIBDIR)/libclarifai.a $(DESTDIR)$(INCLUDEDIR)/clarifai.h $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc

# A CLARIFAI_LIB_DIR given on the command line or in the environment is passed on; without one,
# scripts/package builds the library when target/release lacks it.
dist:
	$(if $(filter-out file,$(origin CLARIFAI_LIB_DIR)),CLARIFAI_LIB_DIR=$(CLARIFAI_LIB_DIR)) scripts/package dist

print-version:
	@echo $(VERSION)

print-pc:
	@$(write_pc)
