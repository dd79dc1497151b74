<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\ClarifaiException;

/**
 * Runs calls concurrently with clarifai_client_call_many_with_options, for
 * ClarifaiClient::callMany().
 *
 * @internal
 */
final class Batch
{
    /**
     * Send every call and wait for all; the batch (results in the order of `$calls`) is freed
     * when the returned handle goes.
     *
     * @param list<array{0: string, 1: ?string}> $calls each call's endpoint and parameters (JSON
     *     object text, or null for none), already checked by Strings
     * @param ?Owned $options `clarifai_call_options` for every call, or null
     * @throws ClarifaiException only when the batch as a whole cannot run
     */
    public static function run(\FFI $ffi, \FFI\CData $client, #[\SensitiveParameter] array $calls, ?Owned $options, \FFI\CData $errorOut): Owned
    {
        $endpoints = new CStrings($ffi, array_column($calls, 0));
        $params = new CStrings($ffi, array_column($calls, 1));
        $out = Out::cell($ffi, 'clarifai_batch');
        $result = $ffi->clarifai_client_call_many_with_options($client, $endpoints->pointers, $params->pointers, $endpoints->count, $options?->ptr, $out, $errorOut);
        if ($result !== $ffi->CLARIFAI_RESULT_OK) {
            Errors::throwFrom($ffi, $result, $errorOut);
        }
        return new Owned($ffi, $out[0], 'clarifai_batch_free');
    }
}
