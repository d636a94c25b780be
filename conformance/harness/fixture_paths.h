/*
 * fixture_paths.h — where the fixture files of the run are.
 *
 * $COREMOD_FIXTURES_DIR names the fixtures build directory; when it is unset the suite uses the
 * fixtures of the build tree it was compiled in (COREMOD_DEFAULT_FIXTURES_DIR). Layout:
 * modules/<name>.so, bad/<name>.so (fixtures/README.md).
 */
#ifndef CONFORMANCE_FIXTURE_PATHS_H
#define CONFORMANCE_FIXTURE_PATHS_H

#define FIXTURES_DIR_ENV "COREMOD_FIXTURES_DIR"

/* The fixtures directory of this run. */
const char* fixtures_dir(void);

/* modules/<name>.so; fails the case (as a harness error) if the file does not exist. */
const char* fixture_module(const char* name);

/* bad/<name>; fails the case if nothing exists under that name. */
const char* fixture_bad(const char* name);

#endif /* CONFORMANCE_FIXTURE_PATHS_H */
