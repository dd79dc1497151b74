<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\API\Exception;

final class CallManyTest extends TestCase
{
    public function testHundredDelayedCallsRunConcurrently(): void
    {
        // bootstrap.php starts the emulator with ListAnnotations=delay:50: in sequence these
        // calls would take 5 s; run together they take about one delay.
        $client = self::apiKeyClient();
        $client->call('ListInputs'); // warm up the pool so the timing is the calls' own
        $calls = array_fill(0, 100, ['ListAnnotations', ['per_page' => 1]]);
        $start = hrtime(true);
        $results = $client->callMany($calls);
        $elapsedMs = (hrtime(true) - $start) / 1e6;
        $this->assertCount(100, $results);
        foreach ($results as $result) {
            $this->assertIsArray($result);
            $this->assertSame(10000, $result['status']['code']);
        }
        // Generous (the real figure, about 55 ms, is reported by bench.php); run-tests scales it
        // under Valgrind, which serializes the PHP side.
        $bound = 1000 * (float) (getenv('CLARIFAI_TEST_TIME_FACTOR') ?: 1);
        $this->assertLessThan($bound, $elapsedMs, sprintf('100 calls took %.0f ms', $elapsedMs));
    }

    public function testResultsKeepOrderAndKeysAndFailuresStayInTheirSlot(): void
    {
        $results = self::apiKeyClient()->callMany([
            'inputs' => ['ListInputs', ['per_page' => 1]],
            'missing' => ['GetInput', ['input_id' => 'no-such-input']],
            'unknown' => ['NoSuchEndpoint'],
            'nul' => ["ListInputs\0"],
            'utf8' => ['ListInputs', ['x' => "\xff"]],
            'count' => ['GetInputCount'],
            'pat only' => ['ListApps', []],
        ]);
        $this->assertSame(['inputs', 'missing', 'unknown', 'nul', 'utf8', 'count', 'pat only'], array_keys($results));
        $this->assertArrayHasKey('inputs', $results['inputs']);
        $this->assertInstanceOf(Exception\NotFoundException::class, $results['missing']);
        $this->assertSame('GET /v2/inputs/no-such-input', $results['missing']->getHeader('X-Clarifai-Emulator-Route'));
        $this->assertInstanceOf(Exception\UnknownEndpointException::class, $results['unknown']);
        $this->assertInstanceOf(Exception\InvalidArgumentException::class, $results['nul']);
        $this->assertStringContainsString('NUL', $results['nul']->getMessage());
        $this->assertInstanceOf(Exception\InvalidArgumentException::class, $results['utf8']);
        $this->assertArrayHasKey('counts', $results['count']);
        $this->assertInstanceOf(Exception\PatRequiredException::class, $results['pat only']);
    }

    public function testErrorsOutliveTheirBatch(): void
    {
        $results = self::apiKeyClient()->callMany([['GetInput', ['input_id' => 'gone']], ['GetInput', ['input_id' => 'also-gone']]]);
        $error = $results[1];
        unset($results);
        gc_collect_cycles();
        $this->assertSame('GET /v2/inputs/also-gone', $error->getHeader('X-Clarifai-Emulator-Route'));
        $this->assertSame(11101, $error->getStatusCode());
    }

    public function testATimeoutIsEachCallsDeadline(): void
    {
        // ListModelTypes held for 3 s; a deadline well under it, and well over a quick call's
        // time (scaled under Valgrind).
        self::emulator()->addFault('ListModelTypes=delay:3000');
        try {
            $timeout = 0.2 * (float) (getenv('CLARIFAI_TEST_TIME_FACTOR') ?: 1);
            $client = self::apiKeyClient();
            $calls = ['slow' => ['ListModelTypes'], 'fast' => ['ListInputs'], 'slower' => ['ListModelTypes', ['per_page' => 2]]];
            $results = $client->callMany($calls, ['timeout' => $timeout]);
            foreach (['slow', 'slower'] as $key) {
                $this->assertInstanceOf(Exception\TransportException::class, $results[$key], $key);
                $this->assertSame('CLARIFAI_RESULT_TIMEOUT', $results[$key]->getResult());
            }
            $this->assertIsArray($results['fast']);
        } finally {
            self::emulator()->clearFaults();
        }
        // The call's deadline, not the client's: a generous one wins over a client timeout too
        // short for ListAnnotations (50 ms, bootstrap.php).
        $calls = [['ListAnnotations'], ['ListAnnotations', ['per_page' => 2]]];
        foreach (self::apiKeyClient(null, ['timeoutMs' => 5])->callMany($calls, ['timeout' => 5]) as $key => $result) {
            $this->assertIsArray($result, (string) $key);
        }
        // The library refuses a zero deadline, in each call's slot.
        foreach (self::apiKeyClient()->callMany($calls, ['timeout' => 0]) as $key => $result) {
            $this->assertInstanceOf(Exception\InvalidArgumentException::class, $result, (string) $key);
            $this->assertStringContainsString('greater than zero', $result->getMessage());
        }
    }

    public function testBadCallOptionsThrow(): void
    {
        foreach ([[['deadline' => 1], 'unknown call option deadline'], [['timeout' => '1'], 'must be a number of seconds, not string'], [['timeout' => -1], 'the timeout in milliseconds is -1000, which does not fit the C type uint64_t']] as [$options, $message]) {
            try {
                self::apiKeyClient()->callMany([['ListInputs']], $options);
                $this->fail('accepted ' . json_encode($options));
            } catch (Exception\InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function testNothingToDo(): void
    {
        $this->assertSame([], self::apiKeyClient()->callMany([]));
    }

    public function testMalformedCallListsThrow(): void
    {
        foreach ([[['ListInputs', 'not params']], [[42]], ['ListInputs'], [['ListInputs', [], 'extra']]] as $calls) {
            try {
                self::apiKeyClient()->callMany($calls);
                $this->fail('accepted ' . json_encode($calls));
            } catch (Exception\InvalidArgumentException $e) {
                $this->assertStringContainsString('must be [string $endpoint, array $params]', $e->getMessage());
            }
        }
    }
}
