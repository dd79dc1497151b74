<?php

declare(strict_types=1);

// Loads the package, points it at the library under test, and starts one emulator for the run
// with the faults the tests rely on: the conformance vectors' own, plus a 50 ms delay on
// ListAnnotations for the concurrency test.

use Clarifai\API\Tests\Emulator;

require dirname(__DIR__) . '/autoload.php';
require __DIR__ . '/Emulator.php';
require __DIR__ . '/TestCase.php';

$repo = dirname(__DIR__, 3);
// The library under test, named by CLARIFAI_LIBRARY alone (tests of its alias set that themselves).
$library = getenv('CLARIFAI_LIBRARY') ?: getenv('CLARIFAI_FFI_LIB') ?: (getenv('CLARIFAI_LIB_DIR') ?: $repo . '/target/release') . '/libclarifai.so';
putenv('CLARIFAI_LIBRARY=' . $library);
putenv('CLARIFAI_FFI_LIB');
// The documented initializer reads CLARIFAI_API_BASE; nothing here may reach the real API.
putenv('CLARIFAI_API_BASE');

$vectors = json_decode((string) file_get_contents($repo . '/tests/vectors/cases.json'), true, 512, JSON_THROW_ON_ERROR);
Emulator::start(
    getenv('CLARIFAI_EMULATOR') ?: $repo . '/target/release/clarifai-emulator',
    array_merge($vectors['emulator_args'], ['--fault', 'ListAnnotations=delay:50']),
    getenv('CLARIFAI_EMULATOR_LOG') ?: (string) tempnam(sys_get_temp_dir(), 'clarifai-php-emulator-'),
);
