<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\Exception;

final class KeysTest extends TestCase
{
    public function testCreateListRotateDelete(): void
    {
        $pat = self::patClient();
        $appId = self::emulator()->appId();
        $key = $pat->createKey($appId, ['Inputs_Get', 'Concepts:Get', 'Annotations:Get', 'Apps:Get'], ['ListInputs'], 'keys test');
        $this->assertSame(['id', 'description', 'scopes', 'endpoints', 'apps'], array_keys($key));
        $this->assertSame('keys test', $key['description']);
        $this->assertEqualsCanonicalizing(['Inputs:Get', 'Concepts:Get', 'Annotations:Get', 'Apps:Get'], $key['scopes']);
        $this->assertSame(['/clarifai.api.V2/ListInputs'], $key['endpoints']);
        $this->assertSame([['user_id' => self::emulator()->userId(), 'id' => $appId]], $key['apps']);
        $listed = array_values(array_filter($pat->listKeys(), static fn (array $k): bool => $k['id'] === $key['id']));
        $this->assertSame([$key], $listed, 'the list describes the key as its creation did');
        $this->assertSame(10000, self::apiKeyClient($key['id'])->call('ListInputs')['status']['code']);

        $rotated = $pat->rotateKey($key['id']);
        $this->assertNotSame($key['id'], $rotated['id']);
        $this->assertSame($key['description'], $rotated['description']);
        $this->assertSame($key['scopes'], $rotated['scopes']);
        $this->assertSame($key['endpoints'], $rotated['endpoints']);
        $ids = array_column($pat->listKeys(), 'id');
        $this->assertContains($rotated['id'], $ids);
        $this->assertNotContains($key['id'], $ids);
        try {
            self::apiKeyClient($key['id'])->call('ListInputs');
            $this->fail('the rotated-out key still works');
        } catch (Exception\KeyNotFoundException $e) {
            $this->assertNoSecret($e->getMessage(), $key['id'], $rotated['id']);
        }
        $this->assertSame(10000, self::apiKeyClient($rotated['id'])->call('ListInputs')['status']['code']);

        $pat->deleteKey($rotated['id']);
        $this->assertNotContains($rotated['id'], array_column($pat->listKeys(), 'id'));
        $this->expectException(Exception\KeyNotFoundException::class);
        self::apiKeyClient($rotated['id'])->call('ListInputs');
    }

    public function testCreateApp(): void
    {
        $body = self::patClient()->createApp('php-created-app', 'made by the PHP tests');
        $this->assertSame(10000, $body['status']['code']);
        $this->assertSame('php-created-app', $body['apps'][0]['id']);
        $key = self::patClient()->createKey('php-created-app', ['All'])['id'];
        $this->assertSame(10000, self::apiKeyClient($key)->call('ListInputs')['status']['code']);
    }

    public function testEndpointsNullOrEmptyAllowEveryEndpoint(): void
    {
        $pat = self::patClient();
        foreach ([null, []] as $endpoints) {
            $key = $pat->createKey(self::emulator()->appId(), ['All'], $endpoints);
            $this->assertSame([], $key['endpoints']);
            $this->assertSame('', $key['description']);
            $this->assertSame(10000, self::apiKeyClient($key['id'])->call('GetInputCount')['status']['code']);
        }
    }

    public function testScopeAndEndpointListsHoldStrings(): void
    {
        try {
            self::patClient()->createKey(self::emulator()->appId(), ['Inputs:Get', 42]);
            $this->fail('accepted');
        } catch (Exception\InvalidArgumentException $e) {
            $this->assertSame('invalid argument: scopes[1] must be a string, not int', $e->getMessage());
        }
        $this->expectException(Exception\InvalidArgumentException::class);
        $this->expectExceptionMessage('endpoints[0] contains a NUL byte');
        self::patClient()->createKey(self::emulator()->appId(), ['Inputs:Get'], ["ListInputs\0"]);
    }

    public function testKeyManagementNeedsAPat(): void
    {
        $this->expectException(Exception\PatRequiredException::class);
        $this->expectExceptionMessage('Personal Access Token');
        self::apiKeyClient()->listKeys();
    }

    public function testDeletingAnUnknownKey(): void
    {
        $this->expectException(Exception\NotFoundException::class);
        self::patClient()->deleteKey('no-such-key');
    }
}
