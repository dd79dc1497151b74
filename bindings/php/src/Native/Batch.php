<?php

declare(strict_types=1);

namespace Clarifai\API\Native;

use Clarifai\API\Exception\ClarifaiException;

/**
 * Runs calls concurrently with clarifai_client_call_many: ClarifaiClient::callMany() and the
 * docs' gRPC form, whose started calls go together at the first wait().
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
     * @throws ClarifaiException only when the batch as a whole cannot run
     */
    public static function run(\FFI $ffi, \FFI\CData $client, #[\SensitiveParameter] array $calls, \FFI\CData $errorOut): Owned
    {
        $count = \count($calls);
        // Every string goes into one buffer, NUL-separated; the two pointer arrays point into it.
        // (FFI cannot store a PHP string into a `const char *` slot.)
        $blob = '';
        $offsets = [];
        foreach ($calls as [$endpoint, $params]) {
            $offsets[] = [\strlen($blob), $params === null ? null : \strlen($blob) + \strlen($endpoint) + 1];
            $blob .= $endpoint . "\0" . ($params === null ? '' : $params . "\0");
        }
        $buffer = $ffi->new('char[' . max(1, \strlen($blob)) . ']');
        \FFI::memcpy($buffer, $blob, \strlen($blob));
        $endpoints = $ffi->new('const char *[' . max(1, $count) . ']');
        $paramsJson = $ffi->new('const char *[' . max(1, $count) . ']');
        foreach ($offsets as $i => [$endpointAt, $paramsAt]) {
            $endpoints[$i] = \FFI::addr($buffer[$endpointAt]);
            if ($paramsAt !== null) {
                $paramsJson[$i] = \FFI::addr($buffer[$paramsAt]);
            }
        }

        $out = $ffi->new('clarifai_batch*[1]');
        $result = $ffi->clarifai_client_call_many($client, $endpoints, $paramsJson, $count, $out, $errorOut);
        if ($result !== 0) {
            Errors::throwFrom($ffi, $result, $errorOut);
        }
        return new Owned($ffi, $out[0], 'clarifai_batch_free');
    }
}
