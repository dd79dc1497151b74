<?php

declare(strict_types=1);

/*
 * Quickstart: the initializer as Clarifai's docs show it, a call, and what a failure tells you.
 *
 *     CLARIFAI_API_KEY=... php examples/php/quickstart.php
 *
 * Against the local emulator: also set CLARIFAI_API_BASE to the url it prints. With Composer,
 * require vendor/autoload.php instead of the package's autoload.php.
 */

require __DIR__ . '/../../bindings/php/autoload.php';

use Clarifai\API\ClarifaiClient;
use Clarifai\API\Exception\ClarifaiException;
use Clarifai\API\Exception\MissingScopesException;

$apiKey = getenv('CLARIFAI_API_KEY') ?: 'YOUR_API_KEY';

try {
    $client = new ClarifaiClient($apiKey);

    $preflight = $client->can('PostModelOutputs');
    if (!$preflight->allowed) {
        echo "This key may not predict; it lacks: ", implode(', ', [...$preflight->missingScopes, ...$preflight->missingEndpoints()]), "\n";
        exit(1);
    }

    $body = $client->call('PostModelOutputs', [
        'model_id' => 'general-image-recognition',
        'inputs' => [['data' => ['image' => ['url' => 'https://samples.clarifai.com/metro-north.jpg']]]],
    ]);
    foreach ($body['outputs'][0]['data']['concepts'] ?? [] as $concept) {
        printf("%-20s %.3f\n", $concept['name'], $concept['value']);
    }
    echo 'status: ', $body['status']['description'], "\n";
} catch (MissingScopesException $e) {
    echo 'Missing scopes: ', implode(', ', $e->getMissingScopes()), "\n";
    exit(1);
} catch (ClarifaiException $e) {
    // The message never holds the key; getStatusCode() is the Clarifai status (e.g. 11009).
    echo get_class($e), ': ', $e->getMessage(), "\n";
    exit(1);
}
