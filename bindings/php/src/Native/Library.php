<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\LibraryException;

/**
 * The one FFI instance of the process, bound to libclarifai.
 *
 * The declarations come from resources/clarifai.h, a byte-for-byte copy of the repository's
 * include/clarifai.h (a test keeps them equal). The package ships its own copy because an
 * installed Composer package holds only bindings/php, and because the declarations must be
 * the ones this PHP code was written against, whatever header happens to lie around.
 *
 * Under opcache preload (preload.php) the declarations are parsed once per server into the
 * FFI scope "CLARIFAI", and every request reuses them; otherwise they are parsed once per
 * process, on first use.
 *
 * The library is looked for, in order: CLARIFAI_LIBRARY (alias CLARIFAI_FFI_LIB); the
 * package's own lib/ folder; the system loader (libclarifai.so.0, as the .deb and
 * `make install` put it). Constants of the C side (result codes, credential kinds) are read
 * from the declarations through this instance, never copied.
 *
 * @internal
 */
final class Library
{
    /** The FFI scope preload.php registers. */
    public const SCOPE = 'CLARIFAI';

    /**
     * The native library's path (a file, or a directory holding libclarifai.so.0 or
     * libclarifai.so), overriding every other place. The one variable of every binding.
     */
    public const ENV_LIBRARY = 'CLARIFAI_LIBRARY';

    /** The earlier name of ENV_LIBRARY, still read when that is not set. */
    public const ENV_LIBRARY_ALIAS = 'CLARIFAI_FFI_LIB';

    private static ?\FFI $ffi = null;

    public static function ffi(): \FFI
    {
        return self::$ffi ??= self::load();
    }

    /**
     * The value of a `clarifai_result` (e.g. "CLARIFAI_RESULT_INVALID_ARGUMENT") as the loaded
     * declarations define it; 0 when the library cannot be loaded (for refusals PHP makes on its
     * own, such as a malformed message, which must not turn into a LibraryException).
     */
    public static function resultValue(string $name): int
    {
        try {
            return self::ffi()->{$name};
        } catch (LibraryException) {
            return 0;
        }
    }

    /** The path of the shipped header. */
    public static function headerPath(): string
    {
        return \dirname(__DIR__, 2) . '/resources/clarifai.h';
    }

    /** The package's own folder for the native library: lib/ next to src/. */
    public static function packageLibDir(): string
    {
        return \dirname(__DIR__, 2) . '/lib';
    }

    /**
     * The C declarations, ready for FFI::cdef() or FFI::load().
     *
     * Everything before the first preprocessor line is dropped: PHP skips `#` lines itself,
     * but a banner comment before the include guard could hold text a C parser rejects. No
     * declaration precedes the include guard, so cutting there is exact.
     */
    public static function declarations(): string
    {
        $header = @file_get_contents(self::headerPath());
        if ($header === false) {
            throw new LibraryException(sprintf('cannot read the C declarations at %s', self::headerPath()));
        }
        $start = strpos($header, "\n#");
        return $start === false ? $header : substr($header, $start + 1);
    }

    /**
     * The declarations with the `#define FFI_SCOPE` and `#define FFI_LIB` lines FFI::load()
     * and the ini setting ffi.preload read: the library path is fixed in it.
     */
    public static function scopedDeclarations(?string $libraryPath = null): string
    {
        return sprintf(
            "#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n%s",
            self::SCOPE,
            addcslashes($libraryPath ?? self::locate(), "\"\\"),
            self::declarations(),
        );
    }

    /** The version the shipped header declares, e.g. "0.1.0". */
    public static function headerVersion(): string
    {
        $header = (string) @file_get_contents(self::headerPath());
        return preg_match('/#define CLARIFAI_VERSION_STRING "([^"]+)"/', $header, $m) === 1 ? $m[1] : '';
    }

    /**
     * What to load: the file CLARIFAI_LIBRARY (or CLARIFAI_FFI_LIB) names; else the library in
     * the package's lib/; else the soname alone, for the system loader's own search
     * (ld.so.cache after the .deb or `make install` + ldconfig, LD_LIBRARY_PATH).
     *
     * @throws LibraryException when the variable names nothing loadable
     */
    public static function locate(): string
    {
        [$variable, $value] = self::override();
        if ($variable !== null) {
            return self::fromOverride($variable, $value);
        }
        foreach (self::fileNames() as $name) {
            if (is_file(self::packageLibDir() . '/' . $name)) {
                return self::packageLibDir() . '/' . $name;
            }
        }
        return self::soname();
    }

    private static function load(): \FFI
    {
        if (!\extension_loaded('ffi')) {
            throw new LibraryException(
                'the PHP extension ffi is not loaded: install it (e.g. apt-get install php-ffi, or '
                . 'build PHP with --with-ffi) and enable it with extension=ffi and ffi.enable'
            );
        }
        $preloaded = self::preloadedScope();
        if ($preloaded !== null) {
            return self::checked($preloaded);
        }
        $enable = strtolower((string) ini_get('ffi.enable'));
        if (\in_array($enable, ['0', '', 'off', 'false', 'no'], true)) {
            throw new LibraryException(
                'FFI is disabled by the ini setting ffi.enable: set ffi.enable=preload and load '
                . 'bindings/php/preload.php with opcache.preload, or set ffi.enable=1'
            );
        }
        $declarations = self::declarations();
        [$variable, $value] = self::override();
        if ($variable !== null) {
            $path = self::fromOverride($variable, $value);
            return self::checked(self::open($declarations, $path, static fn (string $why): string => sprintf(
                '%s names %s, which cannot be loaded (%s): point it at a libclarifai.so built for this machine, or unset it',
                $variable,
                $path,
                $why,
            )));
        }
        // Every place looked at, for the message when none has the library.
        $tried = [sprintf('%s (or %s): not set', self::ENV_LIBRARY, self::ENV_LIBRARY_ALIAS)];
        foreach (self::fileNames() as $name) {
            $path = self::packageLibDir() . '/' . $name;
            if (!is_file($path)) {
                $tried[] = $path . ': no such file';
                continue;
            }
            return self::checked(self::open($declarations, $path, static fn (string $why): string => sprintf(
                'the library in the package\'s lib/ folder, %s, cannot be loaded (%s): replace it with a libclarifai.so built for this machine',
                $path,
                $why,
            )));
        }
        return self::checked(self::open($declarations, self::soname(), static function (string $why) use ($tried): string {
            $tried[] = sprintf('%s through the system loader: %s', self::soname(), $why);
            return sprintf(
                "the clarifai native library was not found. Looked at:\n  - %s\n"
                . 'Install it (the libclarifai .deb, or `make install` from the clarifai-core sources, then ldconfig), '
                . 'copy libclarifai.so into %s/, or set %s to its path',
                implode("\n  - ", $tried),
                self::packageLibDir(),
                self::ENV_LIBRARY,
            );
        }));
    }

    /**
     * FFI::cdef() of the declarations against `$library`; a failure to load it throws a
     * LibraryException with the message `$message(the loader's reason)`.
     *
     * @param \Closure(string): string $message
     */
    private static function open(string $declarations, string $library, \Closure $message): \FFI
    {
        try {
            return \FFI::cdef($declarations, $library);
        } catch (\FFI\Exception $e) {
            if (str_contains($e->getMessage(), 'ffi.enable')) {
                throw new LibraryException(
                    'FFI is restricted by the ini setting ffi.enable=preload outside the CLI: load '
                    . 'bindings/php/preload.php with opcache.preload, or set ffi.enable=1',
                    previous: $e,
                );
            }
            throw new LibraryException($message($e->getMessage()), previous: $e);
        }
    }

    /** @return array{0: ?string, 1: string} the variable naming the library, and its value */
    private static function override(): array
    {
        foreach ([self::ENV_LIBRARY, self::ENV_LIBRARY_ALIAS] as $variable) {
            $value = getenv($variable);
            if (\is_string($value) && $value !== '') {
                return [$variable, $value];
            }
        }
        return [null, ''];
    }

    /** The library file `$value` names: itself, or the library inside that directory. */
    private static function fromOverride(string $variable, string $value): string
    {
        if (is_file($value)) {
            return $value;
        }
        if (is_dir($value)) {
            foreach (self::fileNames() as $name) {
                if (is_file($value . '/' . $name)) {
                    return $value . '/' . $name;
                }
            }
            throw new LibraryException(sprintf(
                '%s names the directory %s, which holds no %s: put the library there, or set %s to the library file',
                $variable,
                $value,
                implode(' or ', self::fileNames()),
                $variable,
            ));
        }
        throw new LibraryException(sprintf(
            '%s names %s, which does not exist: set it to the path of libclarifai.so (or the directory holding it), or unset it to use the installed library',
            $variable,
            $value,
        ));
    }

    private static function preloadedScope(): ?\FFI
    {
        try {
            return \FFI::scope(self::SCOPE);
        } catch (\FFI\Exception) {
            return null;
        }
    }

    /** Refuse a library whose major version differs from the declarations': the ABI would not match. */
    private static function checked(\FFI $ffi): \FFI
    {
        $library = (string) $ffi->clarifai_version();
        $header = self::headerVersion();
        if (strtok($library, '.') !== strtok($header, '.')) {
            throw new LibraryException(sprintf(
                'the clarifai library is version %s but this package declares %s: install matching versions',
                $library,
                $header,
            ));
        }
        return $ffi;
    }

    /** @return list<string> the library's file names, the soname first */
    private static function fileNames(): array
    {
        return match (PHP_OS_FAMILY) {
            'Darwin' => ['libclarifai.0.dylib', 'libclarifai.dylib'],
            'Windows' => ['clarifai.dll'],
            default => ['libclarifai.so.0', 'libclarifai.so'],
        };
    }

    private static function soname(): string
    {
        return self::fileNames()[0];
    }
}
