<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\Api\MultiAnnotationResponse;
use Clarifai\Api\Status\StatusCode;
use Clarifai\Api\V2Client;
use Clarifai\API\Grpc\CallStatus;
use Clarifai\API\Grpc\UnaryCall;
use Clarifai\ClarifaiClient;

/**
 * Cancelling calls of the docs' gRPC form (clarifai_call_cancel, clarifai_call_free), against an
 * emulator of this test's own that delays ListInputs by 5 s, so that only cancellation can end
 * such a call quickly, ListModels by 60 s (the stress test's calls that only a cancel ends), and
 * ListAnnotations by 30 ms.
 */
final class CancellationTest extends TestCase
{
    /** How fast a cancelled call must give its result (scaled under Valgrind). */
    private const FAST_MS = 50;

    private static ?Emulator $server = null;

    public static function setUpBeforeClass(): void
    {
        self::$server = Emulator::spawn(Emulator::binary(), ['--fault', 'ListInputs=delay:5000', '--fault', 'ListModels=delay:60000', '--fault', 'ListAnnotations=delay:30'], getenv('CLARIFAI_EMULATOR_LOG') ?: '/dev/null');
    }

    public static function tearDownAfterClass(): void
    {
        self::$server?->stop();
        self::$server = null;
    }

    private static function server(): Emulator
    {
        return self::$server ?? throw new \LogicException('no emulator');
    }

    private static function client(array $options = []): V2Client
    {
        return ClarifaiClient::grpc($options + ['baseUrl' => self::server()->url(), 'maxRetries' => 0]);
    }

    /** @return array<string, list<string>> */
    private static function metadata(): array
    {
        return ['Authorization' => ['Key ' . self::server()->apiKey()]];
    }

    private static function timeFactor(): float
    {
        return (float) (getenv('CLARIFAI_TEST_TIME_FACTOR') ?: 1);
    }

    public function testACancelledCallEndsAtOnceTheServerSeesItAbortedAndTheClientGoesOn(): void
    {
        $client = self::client();
        $this->assertSame(StatusCode::SUCCESS, $client->ListConcepts([], self::metadata())->wait()[0]->getStatus()->getCode(), 'warm');
        self::server()->clearRequests();

        $call = $client->ListInputs([], self::metadata());
        usleep(100_000); // the request is at the server, which holds it for 5 s
        $start = hrtime(true);
        $call->cancel();
        [$response, $status] = $call->wait();
        $elapsedMs = (hrtime(true) - $start) / 1e6;

        $this->assertNull($response);
        $this->assertInstanceOf(CallStatus::class, $status);
        $this->assertSame(CallStatus::CANCELLED, $status->code);
        $this->assertSame(1, $status->code, "gRPC's CANCELLED");
        $this->assertStringContainsString('cancel', strtolower($status->details));
        $this->assertLessThan(self::FAST_MS * self::timeFactor(), $elapsedMs, sprintf('the cancelled call ended after %.1f ms', $elapsedMs));
        $this->assertSame([$response, $status], $call->wait(), 'waiting again gives the same');

        $aborted = $this->waitForAborted(1);
        $this->assertSame(['GET', '/v2/inputs'], [$aborted[0]['method'], $aborted[0]['path']]);

        [$response, $status] = $client->ListConcepts([], self::metadata())->wait();
        $this->assertSame(CallStatus::OK, $status->code, 'the next call on the same client');
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
    }

    public function testACallDroppedBeforeItIsDoneIsCancelled(): void
    {
        $client = self::client();
        self::server()->clearRequests();
        $call = $client->ListInputs([], self::metadata());
        usleep(100_000);
        $start = hrtime(true);
        unset($call); // clarifai_call_free: cancels the running call
        $this->assertLessThan(self::FAST_MS * self::timeFactor(), (hrtime(true) - $start) / 1e6, 'freeing does not wait for the answer');
        $this->waitForAborted(1);
    }

    public function testACallQueuedBehindTheConcurrencyLimitIsCancelledToo(): void
    {
        $client = self::client(['maxConcurrency' => 1]);
        $running = $client->ListInputs([], self::metadata());
        $queued = $client->ListAnnotations([], self::metadata());
        $start = hrtime(true);
        $queued->cancel();
        $this->assertSame(CallStatus::CANCELLED, $queued->wait()[1]->code);
        $running->cancel();
        $this->assertSame(CallStatus::CANCELLED, $running->wait()[1]->code);
        $this->assertLessThan(2 * self::FAST_MS * self::timeFactor(), (hrtime(true) - $start) / 1e6);
    }

    public function testACallDoneKeepsItsResultWhenCancelled(): void
    {
        $call = self::client()->ListAnnotations([], self::metadata());
        [$response, $status] = $call->wait();
        $call->cancel();
        $call->cancel();
        $this->assertSame([$response, $status], $call->wait());
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
    }

    public function testCallsOutliveTheirClientObject(): void
    {
        $call = self::client()->ListAnnotations([], self::metadata());
        gc_collect_cycles();
        [$response, $status] = $call->wait();
        $this->assertSame([CallStatus::OK, StatusCode::SUCCESS], [$status->code, $response->getStatus()->getCode()]);
    }

    /** Calls per stress round to ListModels, which the emulator holds for 60 s: only a cancel ends them. */
    private const STRESS_HELD = 4;

    /**
     * Many calls in flight (far more than the client runs at once), each cancelled, dropped,
     * waited for or left alone at a random point: every wait gives exactly one result, a
     * response or CANCELLED, and the same one again; nothing is sent twice; and memory stays
     * flat from one round to the next (PHP's own exactly, the process's within allocator noise;
     * run-tests' Valgrind pass checks the native side). A few calls per round are held by the
     * server, so some cancels land on calls in flight however fast the others finish (under
     * Valgrind every 30 ms call can be done before the first cancel).
     */
    public function testManyCallsCancelledAtRandomPoints(): void
    {
        $calls = (int) (getenv('CLARIFAI_TEST_STRESS_CALLS') ?: 10_000);
        $rounds = 3;
        $client = self::client();
        $memory = [];
        for ($round = 0; $round < $rounds; $round++) {
            self::server()->clearRequests();
            $outcomes = $this->stressRound($client, $calls);
            $this->assertSame($calls, array_sum($outcomes), 'every call has one outcome');
            $this->assertGreaterThan(0, $outcomes['ok']);
            $this->assertGreaterThanOrEqual(self::STRESS_HELD, $outcomes['cancelled'], 'the held calls, at least, end cancelled');
            $this->assertLessThanOrEqual($calls, \count(self::server()->requests()), 'no call was sent twice');
            gc_collect_cycles();
            $memory[] = [memory_get_usage(), self::residentBytes()];
        }
        if (getenv('CLARIFAI_TEST_TIME_FACTOR') === false) {
            [$php1, $rss1] = $memory[1];
            [$php2, $rss2] = $memory[$rounds - 1];
            $this->assertLessThan(64 << 10, $php2 - $php1, sprintf('PHP memory grew by %d bytes over %d calls', $php2 - $php1, $calls));
            $this->assertLessThan(8 << 20, $rss2 - $rss1, sprintf('the process grew by %d kB over %d calls', ($rss2 - $rss1) >> 10, $calls));
        }
    }

    /** @return array{ok: int, cancelled: int, dropped: int} */
    private function stressRound(V2Client $client, int $count): array
    {
        $metadata = self::metadata();
        $held = array_flip(array_rand(range(0, $count - 1), self::STRESS_HELD));
        /** @var array<int, UnaryCall> $calls */
        $calls = [];
        for ($i = 0; $i < $count; $i++) {
            $calls[$i] = isset($held[$i])
                ? $client->ListModels(['per_page' => 1], $metadata)
                : $client->ListAnnotations(['per_page' => 1 + $i % 7], $metadata);
        }
        $results = [];
        $dropped = 0;
        $order = array_keys($calls);
        shuffle($order);
        foreach ($order as $i) {
            $action = random_int(0, 9);
            if (isset($held[$i]) && ($action === 3 || $action === 4)) {
                $action = 0; // a held call is never dropped, nor waited for uncancelled
            }
            match ($action) {
                0, 1, 2 => $calls[$i]->cancel(),
                3 => (function () use (&$calls, &$dropped, $i): void {
                    unset($calls[$i]);
                    $dropped++;
                })(),
                4 => $results[$i] = $calls[$i]->wait(),
                5 => random_int(0, 20) === 0 ? usleep(random_int(0, 3000)) : null,
                default => null,
            };
        }
        foreach ($calls as $i => $call) {
            if (isset($held[$i]) || random_int(0, 3) === 0) {
                $call->cancel();
            }
            $results[$i] ??= $call->wait();
        }
        $outcomes = ['ok' => 0, 'cancelled' => 0, 'dropped' => $dropped];
        foreach ($calls as $i => $call) {
            [$response, $status] = $results[$i];
            if (isset($held[$i])) {
                $this->assertSame([null, CallStatus::CANCELLED], [$response, $status->code], 'a held call ends only by its cancel');
            }
            if ($status->code === CallStatus::OK) {
                $this->assertInstanceOf(MultiAnnotationResponse::class, $response);
                $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
                $outcomes['ok']++;
            } else {
                $this->assertSame([null, CallStatus::CANCELLED], [$response, $status->code], $status->details);
                $this->assertNotSame('', $status->details);
                $outcomes['cancelled']++;
            }
            $call->cancel();
            $this->assertSame($results[$i], $call->wait(), 'one result per call, whatever comes after');
        }
        return $outcomes;
    }

    /** @return list<array<string, mixed>> the aborted requests, once the emulator logged `$n` */
    private function waitForAborted(int $n): array
    {
        $deadline = hrtime(true) + 3_000_000_000;
        do {
            $aborted = array_values(array_filter(self::server()->requests(), static fn (array $r): bool => $r['aborted'] === true));
            if (\count($aborted) >= $n) {
                return $aborted;
            }
            usleep(10_000);
        } while (hrtime(true) < $deadline);
        $this->fail(sprintf('the emulator logged %d aborted requests, not %d', \count($aborted), $n));
    }

    private static function residentBytes(): int
    {
        $statm = explode(' ', (string) file_get_contents('/proc/self/statm'));
        return (int) $statm[1] * 4096;
    }
}
