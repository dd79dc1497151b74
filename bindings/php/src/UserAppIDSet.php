<?php

declare(strict_types=1);

namespace Clarifai\API;

use Clarifai\API\Native\Strings;

/**
 * The user and app a request acts on, as the official clients name it. Pass it as the
 * `user_app_id` parameter of a call:
 *
 *     $client->call('ListInputs', ['user_app_id' => UserAppIDSet::create('me', 'my-app')]);
 *
 * "me" stands for the user who owns the credential.
 */
final class UserAppIDSet implements \JsonSerializable
{
    public function __construct(
        public readonly string $userId,
        public readonly string $appId,
    ) {
        Strings::check($userId, 'userId');
        Strings::check($appId, 'appId');
    }

    public static function create(string $userId, string $appId): self
    {
        return new self($userId, $appId);
    }

    /** @return array{user_id: string, app_id: string} */
    public function jsonSerialize(): array
    {
        return ['user_id' => $this->userId, 'app_id' => $this->appId];
    }
}
