<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\Exception;

final class PreflightTest extends TestCase
{
    public function testAllowed(): void
    {
        $preflight = self::apiKeyClient()->can('PostModelOutputs');
        $this->assertTrue($preflight->allowed);
        $this->assertSame([], $preflight->missingScopes);
        $this->assertNull($preflight->missingEndpoint);
        $this->assertSame('', $preflight->reason);
    }

    public function testDenialNamesWhatIsMissingWithoutCallingTheEndpoint(): void
    {
        $key = self::patClient()->createKey(self::emulator()->appId(), ['Inputs:Get'], ['ListInputs', 'MyScopes'], 'preflight test')['id'];
        $client = self::apiKeyClient($key);
        $client->can('ListInputs'); // the first check fetches the scopes
        self::emulator()->clearRequests();

        $preflight = $client->can('PostInputs');
        $this->assertFalse($preflight->allowed);
        $this->assertSame('PostInputs', $preflight->endpoint);
        $this->assertContains('Inputs:Add', $preflight->missingScopes);
        $this->assertSame('/clarifai.api.V2/PostInputs', $preflight->missingEndpoint);
        $this->assertSame(['/clarifai.api.V2/PostInputs'], $preflight->missingEndpoints());
        $this->assertFalse($preflight->patRequired);
        $this->assertStringContainsString('Inputs:Add', $preflight->reason);
        $this->assertNoSecret($preflight->reason, $key);
        $this->assertSame([], self::emulator()->requests(), 'a cached preflight sends nothing');
    }

    public function testAKeyThatMayNotAskForItsScopesCannotBePreflighted(): void
    {
        // The check needs MyScopes; a key limited to other endpoints is refused it by the
        // server (status 11007 from the server, not a denial decided locally).
        $key = self::patClient()->createKey(self::emulator()->appId(), ['All'], ['ListInputs'], 'preflight test')['id'];
        try {
            self::apiKeyClient($key)->can('ListInputs');
            $this->fail('MyScopes is not in the key\'s endpoints');
        } catch (Exception\MissingScopesException $e) {
            $this->assertSame(11007, $e->getStatusCode());
            $this->assertSame(['/clarifai.api.V2/MyScopes'], $e->getMissingEndpoints());
        }
    }

    public function testPatOnlyEndpointForAnAppKey(): void
    {
        $preflight = self::apiKeyClient()->can('PostKeys');
        $this->assertFalse($preflight->allowed);
        $this->assertTrue($preflight->patRequired);
        $this->assertTrue(self::patClient()->can('PostKeys')->allowed);
    }

    public function testUnknownEndpointThrows(): void
    {
        $this->expectException(Exception\UnknownEndpointException::class);
        self::apiKeyClient()->can('PostFrobnications');
    }

    public function testUnknownKeyThrows(): void
    {
        $this->expectException(Exception\KeyNotFoundException::class);
        self::apiKeyClient(self::CANARY_KEY)->can('ListInputs');
    }
}
