<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * A started call: what to send, and once sent (or cancelled) its result.
 *
 * @internal
 */
final class PendingCall
{
    /** @var array{0: ?Message, 1: CallStatus}|null */
    public ?array $result = null;

    /**
     * @param string $params the request's JSON
     * @param Authorization|string|null $authorization the credential, or why there is none;
     *     dropped once sent
     * @param class-string<Message> $responseClass
     */
    public function __construct(
        public readonly string $rpc,
        #[\SensitiveParameter] public readonly string $params,
        #[\SensitiveParameter] public Authorization|string|null $authorization,
        public readonly string $responseClass,
    ) {
    }
}
