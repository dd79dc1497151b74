# Packaging of clarifai-core's C library. Cargo builds; this installs.
#
#   make                                  cargo build --release -p clarifai-core
#   make install PREFIX=/usr/local        (DESTDIR=/staging for packagers)
#   make uninstall PREFIX=/usr/local
#
# Installs lib/libclarifai.so.VERSION with the symlinks libclarifai.so.MAJOR (the soname) and
# libclarifai.so (for -lclarifai), lib/libclarifai.a, include/clarifai.h and
# lib/pkgconfig/clarifai.pc. The version comes from Cargo.toml, so it cannot drift.

PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CARGO ?= cargo
INSTALL ?= install
CLARIFAI_LIB_DIR ?= target/release

# The [package] version, not a dependency's or the workspace's.
VERSION := $(shell awk '/^\[/{p = ($$0 == "[package]")} p && /^version *=/ {gsub(/^[^"]*"|".*$$/, ""); print; exit}' Cargo.toml)
MAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libclarifai.so.$(MAJOR)
REALNAME := libclarifai.so.$(VERSION)

.PHONY: all install uninstall
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
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
		-e 's|@VERSION@|$(VERSION)|g' pkg/clarifai.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(REALNAME) $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libclarifai.so \
		$(DESTDIR)$(LIBDIR)/libclarifai.a $(DESTDIR)$(INCLUDEDIR)/clarifai.h $(DESTDIR)$(PKGCONFIGDIR)/clarifai.pc
