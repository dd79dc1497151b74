<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * The credential in a call's metadata: `['Authorization' => ['Key …']]`, the header name in any
 * case, as the grpc package sends it.
 *
 * @internal
 */
final class Authorization
{
    private function __construct(
        /** "Key" (an app key or a PAT: the API tells them apart) or "Bearer" (a legacy token). */
        public readonly string $scheme,
        #[\SensitiveParameter] public readonly string $token,
    ) {
    }

    /**
     * The credential; null when the metadata has none (the call goes out without one); or why
     * the metadata's Authorization is one the API would refuse (the details of its "Invalid
     * request" answer).
     *
     * @param array<string, list<string>|string> $metadata
     */
    public static function fromMetadata(#[\SensitiveParameter] array $metadata): self|string|null
    {
        $values = [];
        foreach ($metadata as $name => $value) {
            if (strtolower((string) $name) === 'authorization') {
                foreach ((array) $value as $item) {
                    $values[] = $item;
                }
            }
        }
        if ($values === []) {
            return null;
        }
        if (\count($values) > 1) {
            return 'more than one Authorization value in the metadata: pass one';
        }
        if (!\is_string($values[0])) {
            return 'the Authorization metadata value is not a string';
        }
        foreach (['Key', 'Bearer'] as $scheme) {
            if (str_starts_with($values[0], $scheme . ' ')) {
                return new self($scheme, substr($values[0], \strlen($scheme) + 1));
            }
        }
        return "the Authorization metadata is malformed: the scheme is spelled 'Key', with a capital K and one space before the token";
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['scheme' => $this->scheme, 'token' => '(secret)'];
    }
}
