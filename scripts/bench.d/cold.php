<?php

declare(strict_types=1);

/*
 * One fresh PHP process's first call through the binding: load the library through FFI, make a
 * client, call ListInputs once against CLARIFAI_BENCH_URL. scripts/bench times this process.
 */

require dirname(__DIR__, 2) . '/bindings/php/autoload.php';

$client = new Clarifai\API\ClarifaiClient(getenv('CLARIFAI_BENCH_KEY'), ['baseUrl' => getenv('CLARIFAI_BENCH_URL')]);
exit(($client->call('ListInputs', ['per_page' => 1])['status']['code'] ?? 0) === 10000 ? 0 : 1);
