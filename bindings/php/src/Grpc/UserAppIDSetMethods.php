<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

use Clarifai\API\Exception\InvalidArgumentException;
use Clarifai\API\Native\Strings;

/**
 * What Clarifai\API\UserAppIDSet did before it became the API's message: PHP class names
 * ignore case, so the docs' Clarifai\Api\UserAppIDSet and this package's Clarifai\API\UserAppIDSet
 * are one class. It is the generated message, with these additions kept for earlier code:
 *
 *     new UserAppIDSet(['user_id' => 'me', 'app_id' => 'my-app'])   // the docs' message
 *     new UserAppIDSet('me', 'my-app')                               // as before
 *     UserAppIDSet::create('me', 'my-app')                           // as before
 *     $set->userId, $set->appId                                      // as before, read-only
 *
 * @internal mixed into the generated Clarifai\Api\UserAppIDSet
 */
trait UserAppIDSetMethods
{
    /**
     * @param array<string, mixed>|string|null $data the fields (['user_id' => …, 'app_id' => …]),
     *     or the user id ("me": the credential's owner) with the app id as `$appId`
     */
    public function __construct(array|string|null $data = null, ?string $appId = null)
    {
        if (\is_string($data) !== ($appId !== null)) {
            throw InvalidArgumentException::because('UserAppIDSet takes an array of fields, or a user id and an app id');
        }
        if (\is_string($data)) {
            $data = ['user_id' => Strings::check($data, 'userId'), 'app_id' => Strings::check($appId, 'appId')];
        }
        parent::__construct($data);
    }

    /** The user ("me": the credential's owner) and app a request acts on. */
    public static function create(string $userId, string $appId): self
    {
        return new self($userId, $appId);
    }

    public function __get(string $name): string
    {
        return match ($name) {
            'userId' => $this->getUserId(),
            'appId' => $this->getAppId(),
            default => throw new \Error(sprintf('Undefined property: %s::$%s', self::class, $name)),
        };
    }

    public function __isset(string $name): bool
    {
        return $name === 'userId' || $name === 'appId';
    }
}
