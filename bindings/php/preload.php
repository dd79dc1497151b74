<?php

declare(strict_types=1);

/*
 * opcache preload script: parses the C declarations once per server into the FFI scope
 * "CLARIFAI" and preloads this package's classes. Every request then gets the library through
 * FFI::scope(), which ffi.enable=preload (PHP's default) allows outside the CLI, where
 * FFI::cdef() is refused.
 *
 *     opcache.enable=1
 *     opcache.preload=/path/to/clarifai-core/preload.php
 *     ffi.enable=preload
 *
 * With opcache.preload_user (required when the server starts as root, as a PHP-FPM master
 * does) PHP refuses FFI::load() in a preload script; then also declare the scope with
 * ffi.preload, from a header written by bin/clarifai-ffi-header:
 *
 *     php bin/clarifai-ffi-header /etc/php/clarifai-ffi.h
 *     ffi.preload=/etc/php/clarifai-ffi.h
 *     opcache.preload_user=www-data
 *
 * The library is found as at run time (CLARIFAI_LIBRARY in the server's environment, the
 * package's lib/, the system loader), once, when the server starts.
 */

use Clarifai\API\Native\Library;

require_once __DIR__ . '/autoload.php';

(static function (): void {
    try {
        FFI::scope(Library::SCOPE);
    } catch (FFI\Exception) {
        // Not declared by ffi.preload: declare it here. FFI::load() reads the scope and the
        // library from #define lines in a file, so write them to a temporary one.
        $file = tempnam(sys_get_temp_dir(), 'clarifai-preload-');
        if ($file === false) {
            throw new RuntimeException('clarifai preload: cannot create a temporary file');
        }
        try {
            file_put_contents($file, Library::scopedDeclarations());
            if (FFI::load($file) === null) {
                throw new RuntimeException('clarifai preload: FFI::load() failed (see the warning above)');
            }
        } catch (FFI\Exception $e) {
            throw new RuntimeException(
                'clarifai preload: ' . $e->getMessage() . ' Write the declarations with '
                . 'bin/clarifai-ffi-header and name them in the ini setting ffi.preload.',
                0,
                $e,
            );
        } finally {
            unlink($file);
        }
    }
    // Load every class now, so that opcache keeps them for every request.
    $src = __DIR__ . '/src/';
    $files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($src, FilesystemIterator::SKIP_DOTS));
    foreach ($files as $path => $info) {
        class_exists('Clarifai\\API\\' . str_replace('/', '\\', substr($path, \strlen($src), -4)));
    }
    // And the generated messages of the docs' gRPC form, but not the well-known types: those stay
    // google/protobuf's where that package is installed.
    foreach (array_keys(require __DIR__ . '/generated/classmap.php') as $class) {
        if (str_starts_with($class, 'clarifai\\')) {
            class_exists($class);
        }
    }
    // Fail at server start, not on the first request, on a library of another major version.
    Library::ffi();
})();
