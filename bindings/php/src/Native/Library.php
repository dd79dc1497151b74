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
 * @internal
 */
final class Library
{
    /** The FFI scope preload.php registers. */
    public const SCOPE = 'CLARIFAI';

    /** Full path of the shared library, overriding every other place. */
    public const ENV_LIBRARY = 'CLARIFAI_FFI_LIB';

    private static ?\FFI $ffi = null;

    public static function ffi(): \FFI
    {
        return self::$ffi ??= self::load();
    }

    /** The path of the shipped header. */
    public static function headerPath(): string
    {
        return \dirname(__DIR__, 2) . '/resources/clarifai.h';
    }

    /**
     * The C declarations, ready for FFI::cdef() or FFI::load().
     *
     * Everything before the first preprocessor line is dropped: PHP skips `#` lines itself,
     * but the generated banner comment holds a glob path (target/, a star, /build) whose
     * star-slash ends the comment early, leaving words a C parser rejects (a C compiler trips on
     * it too). Cutting the banner is exact whether or not the generator gets fixed, since no
     * declaration precedes the include guard.
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
     * Where the shared library is: $CLARIFAI_FFI_LIB, else bindings/php/lib/, else the
     * repository's target/release/ (a checkout), else the name alone for the dynamic
     * loader's own search (LD_LIBRARY_PATH, ldconfig).
     */
    public static function locate(): string
    {
        $override = getenv(self::ENV_LIBRARY);
        if (\is_string($override) && $override !== '') {
            if (!is_file($override)) {
                throw new LibraryException(sprintf('%s names %s, which is not a file', self::ENV_LIBRARY, $override));
            }
            return $override;
        }
        $package = \dirname(__DIR__, 2);
        foreach ([$package . '/lib/', \dirname($package, 2) . '/target/release/'] as $dir) {
            if (is_file($dir . self::fileName())) {
                return $dir . self::fileName();
            }
        }
        return self::sonameForSearch();
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
        $path = self::locate();
        try {
            $ffi = \FFI::cdef(self::declarations(), $path);
        } catch (\FFI\Exception $e) {
            if (str_contains($e->getMessage(), 'ffi.enable')) {
                throw new LibraryException(
                    'FFI is restricted by the ini setting ffi.enable=preload outside the CLI: load '
                    . 'bindings/php/preload.php with opcache.preload, or set ffi.enable=1',
                    previous: $e,
                );
            }
            throw new LibraryException(
                sprintf(
                    'cannot load the clarifai library from %s (%s): build it with cargo build '
                    . '--release -p clarifai-core, put it in bindings/php/lib/, or set %s to its full path',
                    $path,
                    $e->getMessage(),
                    self::ENV_LIBRARY,
                ),
                previous: $e,
            );
        }
        return self::checked($ffi);
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

    private static function fileName(): string
    {
        return match (PHP_OS_FAMILY) {
            'Darwin' => 'libclarifai.dylib',
            'Windows' => 'clarifai.dll',
            default => 'libclarifai.so',
        };
    }

    private static function sonameForSearch(): string
    {
        return match (PHP_OS_FAMILY) {
            'Darwin' => 'libclarifai.0.dylib',
            'Windows' => 'clarifai.dll',
            default => 'libclarifai.so.0',
        };
    }
}
