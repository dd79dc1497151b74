<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * A call of the docs' gRPC form, as the grpc extension's UnaryCall: wait() gives
 * [$response, $status].
 *
 * Started calls are sent together: the first wait() on any of them sends every call started
 * on the client until then, concurrently, and returns once all are answered. A call dropped
 * without wait() is still sent (then), as a started gRPC call is.
 */
final class UnaryCall
{
    /** @internal */
    public function __construct(private readonly Channel $channel, private readonly PendingCall $call)
    {
    }

    /**
     * The response (null when no answer arrived) and the call's status: code 0 whenever the
     * API answered, whatever the Clarifai status inside the response; otherwise the gRPC code
     * of the failure with its details. Transport failures are never thrown.
     *
     * @return array{0: ?Message, 1: CallStatus}
     */
    public function wait(): array
    {
        if ($this->call->result === null) {
            $this->channel->flush();
        }
        \assert($this->call->result !== null);
        return $this->call->result;
    }

    /** Cancel the call if it has not been sent yet: wait() then gives CANCELLED and no response. */
    public function cancel(): void
    {
        if ($this->call->result === null) {
            $this->call->authorization = null;
            $this->call->result = [null, new CallStatus(CallStatus::CANCELLED, 'Cancelled')];
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

    public function __destruct()
    {
        if ($this->call->result === null) {
            $this->channel->flush();
        }
    }
}
