<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\ClarifaiClient;
use Clarifai\API\ClientOptions;
use Clarifai\API\Exception;
use Clarifai\API\UserAppIDSet;

final class ClientTest extends TestCase
{
    private const ROUTE = 'X-Clarifai-Emulator-Route';

    public function testDocumentedInitializerTakesTheBaseUrlFromTheEnvironment(): void
    {
        putenv('CLARIFAI_API_BASE=' . self::emulator()->url());
        try {
            $client = new ClarifaiClient(self::emulator()->apiKey());
        } finally {
            putenv('CLARIFAI_API_BASE');
        }
        $body = $client->call('ListInputs', ['per_page' => 1]);
        $this->assertSame(10000, $body['status']['code']);
        $this->assertSame('api_key', $client->credentialKind());
    }

    public function testCallReturnsTheDecodedBody(): void
    {
        $body = self::apiKeyClient()->call('ListInputs', ['per_page' => 1]);
        $this->assertSame(10000, $body['status']['code']);
        $this->assertArrayHasKey('inputs', $body);
        $this->assertIsArray($body['inputs']);
    }

    public function testPatClientActsOnItsAppByDefault(): void
    {
        $client = self::patClient();
        $this->assertSame('pat', $client->credentialKind());
        $response = $client->callResponse('ListInputs', ['per_page' => 1]);
        $emulator = self::emulator();
        $this->assertSame("GET /v2/users/{$emulator->userId()}/apps/{$emulator->appId()}/inputs", $response->getHeader(self::ROUTE));
        $this->assertSame(10000, $response->getStatusCode());
        $this->assertSame(200, $response->getHttpStatus());
        $this->assertSame(10000, $response->toArray()['status']['code']);
        $this->assertNotSame('', $response->getReqId());
        $this->assertNull($response->getHeader('X-No-Such-Header'));
    }

    public function testUserAppIdSetIsAcceptedAsAParameter(): void
    {
        $response = self::patClient()->callResponse('ListInputs', ['user_app_id' => UserAppIDSet::create('me', self::emulator()->appId())]);
        $this->assertSame('GET /v2/users/me/apps/' . self::emulator()->appId() . '/inputs', $response->getHeader(self::ROUTE));
    }

    public function testFromEnvReadsThePat(): void
    {
        $emulator = self::emulator();
        $restore = $this->setEnv([
            'CLARIFAI_PAT' => $emulator->pat(),
            'CLARIFAI_USER_ID' => $emulator->userId(),
            'CLARIFAI_APP_ID' => $emulator->appId(),
            'CLARIFAI_API_BASE' => $emulator->url(),
            'CLARIFAI_API_KEY' => null,
        ]);
        try {
            $client = ClarifaiClient::fromEnv(['maxRetries' => 0]);
        } finally {
            $restore();
        }
        $this->assertSame('pat', $client->credentialKind());
        $this->assertSame(10000, $client->call('ListInputs')['status']['code']);
    }

    public function testFromEnvWithAnApiKeyAndOptionsWinningOverTheEnvironment(): void
    {
        $restore = $this->setEnv([
            'CLARIFAI_PAT' => null,
            'CLARIFAI_API_KEY' => self::emulator()->apiKey(),
            'CLARIFAI_API_BASE' => 'http://127.0.0.1:1',
        ]);
        try {
            $client = ClarifaiClient::fromEnv(new ClientOptions(baseUrl: self::emulator()->url()));
        } finally {
            $restore();
        }
        $this->assertSame('api_key', $client->credentialKind());
        $this->assertSame(10000, $client->call('ListInputs')['status']['code']);
    }

    public function testFromEnvNamesTheMissingVariables(): void
    {
        $restore = $this->setEnv(['CLARIFAI_PAT' => null, 'CLARIFAI_API_KEY' => null]);
        try {
            ClarifaiClient::fromEnv();
            $this->fail('no credential in the environment');
        } catch (Exception\MissingConfigException $e) {
            $this->assertStringContainsString('CLARIFAI_PAT', $e->getMessage());
            $this->assertStringContainsString('CLARIFAI_API_KEY', $e->getMessage());
            $this->assertSame('CLARIFAI_RESULT_MISSING_CONFIG', $e->getResult());
        } finally {
            $restore();
        }
    }

    public function testRawRequest(): void
    {
        $client = self::apiKeyClient();
        $this->assertSame(10000, $client->request('GET', '/v2/inputs?per_page=1')['status']['code']);
        $response = $client->requestResponse('POST', '/v2/searches', ['query' => ['ands' => []]]);
        $this->assertSame('POST /v2/searches', $response->getHeader(self::ROUTE));
    }

    public function testPerRequestApiKeyOverrideLeavesTheClientAsItWas(): void
    {
        $client = self::apiKeyClient();
        $other = $client->usingApiKey(self::CANARY_KEY);
        try {
            $other->call('ListInputs');
            $this->fail('the overriding key is unknown');
        } catch (Exception\KeyNotFoundException $e) {
            $this->assertNoSecret($e->getMessage());
        }
        $this->assertSame(10000, $client->call('ListInputs')['status']['code']);
        unset($client);
        // The override shares the pool and settings, yet outlives the client it came from.
        $this->expectException(Exception\KeyNotFoundException::class);
        $other->call('ListInputs');
    }

    public function testPerRequestPatOverride(): void
    {
        $emulator = self::emulator();
        $client = self::apiKeyClient(self::CANARY_KEY);
        $pat = $client->usingPat($emulator->pat(), $emulator->userId(), $emulator->appId());
        $this->assertSame('pat', $pat->credentialKind());
        $this->assertSame('api_key', $client->credentialKind());
        $response = $pat->callResponse('ListInputs');
        $this->assertSame("GET /v2/users/{$emulator->userId()}/apps/{$emulator->appId()}/inputs", $response->getHeader(self::ROUTE));
        // The override kept the base URL and retries of the client it came from.
        $this->assertSame(10000, $pat->callResponse('ListApps')->getStatusCode());
    }

    public function testMetadataIsWhatTheGrpcClientWants(): void
    {
        $this->assertSame(['Authorization' => ['Key ' . self::emulator()->apiKey()]], self::apiKeyClient()->metadata());
        $this->assertSame(['Authorization' => ['Key ' . self::emulator()->pat()]], self::patClient()->metadata());
    }

    public function testMyScopes(): void
    {
        $scopes = self::patClient()->myScopes();
        $this->assertSame(['scopes', 'granted', 'endpoints', 'endpoint_grant', 'app', 'unknown_scopes'], array_keys($scopes));
        $this->assertContains('Inputs:Add', $scopes['scopes']);
        $this->assertEqualsCanonicalizing(['user_id' => self::emulator()->userId(), 'app_id' => self::emulator()->appId()], $scopes['app']);
        $limited = self::apiKeyClient(self::patClient()->createKey(self::emulator()->appId(), ['Inputs:Get'], [], 'myscopes test')['id']);
        $mine = $limited->myScopes();
        $this->assertSame(['Inputs:Get'], $mine['granted']);
        $this->assertNotContains('Inputs:Add', $mine['scopes']);
        $this->assertSame([], $mine['endpoint_grant']);
        $this->assertSame([], $mine['unknown_scopes']);
        $this->assertContains('/clarifai.api.V2/MyScopes', $mine['endpoints']);

        $limited = self::apiKeyClient(self::patClient()->createKey(self::emulator()->appId(), ['All'], ['ListInputs', 'MyScopes'])['id']);
        $this->assertEqualsCanonicalizing(['/clarifai.api.V2/ListInputs', '/clarifai.api.V2/MyScopes'], $limited->myScopes()['endpoint_grant']);
    }

    public function testCloningIsRefused(): void
    {
        $this->expectException(\Error::class);
        $client = self::apiKeyClient();
        $copy = clone $client;
    }

    public function testVersionMatchesTheHeader(): void
    {
        $this->assertMatchesRegularExpression('/^0\.\d+\.\d+/', ClarifaiClient::version());
        $this->assertStringContainsString('#define CLARIFAI_VERSION_STRING "' . ClarifaiClient::version() . '"', (string) file_get_contents(\dirname(__DIR__) . '/resources/clarifai.h'));
    }

    /**
     * Set (or with null, remove) environment variables; returns a function restoring them.
     *
     * @param array<string, ?string> $values
     */
    private function setEnv(array $values): \Closure
    {
        $saved = [];
        foreach ($values as $name => $value) {
            $saved[$name] = getenv($name);
            putenv($value === null ? $name : "$name=$value");
        }
        return static function () use ($saved): void {
            foreach ($saved as $name => $value) {
                putenv($value === false ? $name : "$name=$value");
            }
        };
    }
}
