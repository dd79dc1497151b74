<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\Native\Owned;
use Clarifai\API\Native\Out;

/**
 * A call of the docs' gRPC form, as the grpc extension's UnaryCall: started when it was made,
 * running on the library's runtime while PHP goes on; wait() gives [$response, $status].
 *
 * Calls started before their wait() run concurrently. cancel() stops a call still running:
 * wait() then gives status CANCELLED. A call dropped before it is done (its object
 * garbage-collected without wait()) is cancelled and freed.
 */
final class UnaryCall
{
    /** @var array{0: ?Message, 1: CallStatus}|null */
    private ?array $result = null;

    /** @param ?Owned $call the running `clarifai_call`, freed (cancelling it if still running) when it goes */
    private function __construct(
        private readonly ?\FFI $ffi,
        private ?Owned $call,
        /** @var class-string<Message> */
        private readonly string $responseClass,
    ) {
    }

    /**
     * @internal
     * @param class-string<Message> $responseClass
     */
    public static function started(\FFI $ffi, Owned $call, string $responseClass): self
    {
        return new self($ffi, $call, $responseClass);
    }

    /**
     * A call answered without a request (a malformed credential, a deadline already past).
     *
     * @internal
     * @param array{0: ?Message, 1: CallStatus} $result
     */
    public static function answered(array $result): self
    {
        $call = new self(null, null, Message::class);
        $call->result = $result;
        return $call;
    }

    /**
     * Wait for the call and give its response (null when no answer arrived) and status: code 0
     * whenever the API answered, whatever the Clarifai status inside the response; otherwise
     * the gRPC code of the failure with its details (1 CANCELLED, 4 DEADLINE_EXCEEDED,
     * 14 UNAVAILABLE, …). Never throws for a failed call. Waiting again gives the same.
     *
     * @return array{0: ?Message, 1: CallStatus}
     */
    public function wait(): array
    {
        if ($this->result === null) {
            \assert($this->ffi !== null && $this->call !== null);
            $response = Out::cell($this->ffi, 'clarifai_response');
            $error = Out::cell($this->ffi, 'clarifai_error');
            $result = $this->ffi->clarifai_call_wait($this->call->ptr, $response, $error);
            if ($result === $this->ffi->CLARIFAI_RESULT_OK) {
                try {
                    $this->result = Channel::answer($this->responseClass, $this->ffi->clarifai_response_json($response[0]));
                } finally {
                    $this->ffi->clarifai_response_free($response[0]);
                }
            } else {
                $this->result = Channel::failure($this->ffi, $this->responseClass, $error[0]);
            }
            $this->call = null;
        }
        return $this->result;
    }

    /**
     * Cancel the call if it is still running: its request is abandoned (the connection's
     * stream reset, or an HTTP/1.1 connection closed) and wait() gives status CANCELLED. A call
     * already done keeps its result. Any number of times.
     */
    public function cancel(): void
    {
        if ($this->call !== null) {
            $this->ffi?->clarifai_call_cancel($this->call->ptr);
        }
    }

    /**
     * The response's initial metadata: always empty, since the library does not list response
     * headers.
     *
     * @return array<string, list<string>>
     */
    public function getMetadata(): array
    {
        return [];
    }

    /** @return array<string, list<string>> */
    public function getTrailingMetadata(): array
    {
        return $this->wait()[1]->metadata;
    }
}
