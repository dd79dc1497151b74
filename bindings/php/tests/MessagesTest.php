<?php

declare(strict_types=1);

namespace Clarifai\API\Tests;

use Clarifai\Api\Concept;
use Clarifai\Api\Data;
use Clarifai\Api\Image;
use Clarifai\Api\Input;
use Clarifai\Api\ModelTypeField\DataType;
use Clarifai\Api\MultiOutputResponse;
use Clarifai\Api\PostModelOutputsRequest;
use Clarifai\Api\Status\StatusCode;
use Clarifai\API\Exception\InvalidArgumentException;
use Google\Protobuf\Struct;
use Google\Protobuf\Timestamp;

/** The generated Clarifai\Api\ messages and enums, and the API's JSON they read and write. */
final class MessagesTest extends TestCase
{
    private const URL = 'https://samples.clarifai.com/metro-north.jpg';

    public function testMessagesFromArraysOfValuesOrNestedMessages(): void
    {
        $request = new PostModelOutputsRequest([
            'model_id' => 'general-image-recognition',
            'inputs' => [
                new Input(['data' => new Data(['image' => new Image(['url' => self::URL])])]),
                ['data' => ['image' => ['url' => 'https://example.com/b.jpg']]],
            ],
        ]);
        $this->assertSame('general-image-recognition', $request->getModelId());
        $this->assertIsArray($request->getInputs());
        $this->assertCount(2, $request->getInputs());
        $this->assertInstanceOf(Input::class, $request->getInputs()[1]);
        $this->assertSame('https://example.com/b.jpg', $request->getInputs()[1]->getData()->getImage()->getUrl());
        // Unset fields read as their defaults; unset messages as null.
        $this->assertSame('', $request->getVersionId());
        $this->assertNull($request->getModel());
        $this->assertFalse($request->hasModel());
    }

    public function testSettersChainAndAcceptArraysForMessages(): void
    {
        $input = (new Input())->setId('a')->setData(['image' => ['url' => self::URL]]);
        $this->assertSame(self::URL, $input->getData()->getImage()->getUrl());
        $this->assertTrue($input->hasData());
        $input->clearData();
        $this->assertNull($input->getData());
    }

    public function testFloatFieldsAreFloats(): void
    {
        $concept = new Concept(['name' => 'train', 'value' => 1]);
        $this->assertSame(1.0, $concept->getValue());
        $concept->mergeFromJsonString('{"value": 0.25}');
        $this->assertSame(0.25, $concept->getValue());
    }

    public function testUnknownFieldsAndWrongTypesAreRefusedNamingTheField(): void
    {
        foreach ([
            'unknown field' => [static fn () => new Image(['uri' => 'x']), 'clarifai.api.Image has no field uri'],
            'string as list' => [static fn () => new PostModelOutputsRequest(['inputs' => 'x']), 'clarifai.api.PostModelOutputsRequest.inputs must be a list'],
            'wrong message' => [static fn () => new Data(['image' => new Input()]), 'clarifai.api.Data.image must be a Clarifai\Api\Image'],
            'invalid UTF-8' => [static fn () => new Image(['url' => "\xff"]), 'clarifai.api.Image.url is not valid UTF-8'],
            'unknown enum name' => [static fn () => new \Clarifai\Api\Status\Status(['code' => 'NO_SUCH_CODE']), 'Clarifai\Api\Status\StatusCode has no value of that name'],
        ] as $case => [$act, $message]) {
            try {
                $act();
                $this->fail("$case: accepted");
            } catch (InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage(), $case);
            }
        }
    }

    public function testOneofMembersClearEachOther(): void
    {
        // google.protobuf.Value's kind is a oneof.
        $value = new \Google\Protobuf\Value(['string_value' => 'x']);
        $this->assertSame('string_value', $value->whichOneof('kind'));
        $this->assertSame('string_value', $value->getKind());
        $value->setNumberValue(2);
        $this->assertSame('number_value', $value->getKind());
        $this->assertSame('', $value->getStringValue());
        $this->assertFalse($value->hasStringValue());
    }

    public function testEnumsAreClassesOfConstants(): void
    {
        $this->assertSame(10000, StatusCode::SUCCESS);
        $this->assertSame(11102, StatusCode::CONN_INVALID_REQUEST);
        $this->assertSame('CONN_KEY_NOT_FOUND', StatusCode::name(11009));
        $this->assertSame(11009, StatusCode::value('CONN_KEY_NOT_FOUND'));
        // A value named like a PHP reserved word has the prefix PB, as google/protobuf names it.
        $this->assertSame(DataType::PBLIST, DataType::value('LIST'));
        $this->assertSame('LIST', DataType::name(DataType::PBLIST));
        $this->assertTrue(class_exists(\Clarifai\Api\PBAnd::class));
        $this->expectException(\UnexpectedValueException::class);
        StatusCode::name(1);
    }

    public function testJsonIsTheApisOwn(): void
    {
        $request = new PostModelOutputsRequest([
            'user_app_id' => ['user_id' => 'clarifai', 'app_id' => 'main'],
            'model_id' => 'general-image-recognition',
            'inputs' => [['data' => ['image' => ['base64' => "\x89PNG\0"]], 'status' => ['code' => StatusCode::SUCCESS]]],
        ]);
        $this->assertSame(
            '{"user_app_id":{"user_id":"clarifai","app_id":"main"},"model_id":"general-image-recognition",'
            . '"inputs":[{"data":{"image":{"base64":"iVBORwA="}},"status":{"code":"SUCCESS"}}]}',
            $request->serializeToJsonString(),
        );
        $this->assertSame('{}', (new Image())->serializeToJsonString());

        $copy = new PostModelOutputsRequest();
        $copy->mergeFromJsonString($request->serializeToJsonString());
        $this->assertEquals($request, $copy);
        $this->assertSame("\x89PNG\0", $copy->getInputs()[0]->getData()->getImage()->getBase64());
    }

    public function testReadingTakesCamelCaseNamesEnumNumbersAnd64BitStrings(): void
    {
        $response = new MultiOutputResponse();
        $response->mergeFromJsonString('{"status": {"code": 10000, "reqId": "r1"}, "outputs": [{"id": "o", '
            . '"data": {"concepts": [{"name": "a", "value": 0.5}, {"name": "b"}]}}], "hits": []}', true);
        $this->assertSame(StatusCode::SUCCESS, $response->getStatus()->getCode());
        $this->assertSame('r1', $response->getStatus()->getReqId());
        $concepts = $response->getOutputs()[0]->getData()->getConcepts();
        // A concept without a value reads as 1.0 (Clarifai's cl_default_float), as clarifai-grpc reads it.
        $this->assertSame([0.5, 1.0], [$concepts[0]->getValue(), $concepts[1]->getValue()]);

        $count = new \Clarifai\Api\InputCount();
        $count->mergeFromJsonString('{"processed": 3}');
        $this->assertSame(3, $count->getProcessed());

        $info = new \Clarifai\Api\ImageInfo();
        $this->assertSame('{}', $info->serializeToJsonString());
    }

    public function testUnknownJsonIsRefusedUnlessIgnored(): void
    {
        $status = new \Clarifai\Api\Status\Status();
        $status->mergeFromJsonString('{"code": "NO_SUCH_CODE", "novel_field": 1, "description": "d"}', true);
        $this->assertSame('d', $status->getDescription());
        $this->assertSame(0, $status->getCode());
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('clarifai.api.status.Status has no field novel_field');
        $status->mergeFromJsonString('{"novel_field": 1}');
    }

    public function testSixtyFourBitIntegersAreStringsInJson(): void
    {
        // Unsigned values above PHP_INT_MAX keep their 64 bits, as google/protobuf keeps them.
        $wrapper = new \Google\Protobuf\UInt64Value();
        $wrapper->mergeFromJsonString('"18446744073709551615"');
        $this->assertSame(-1, $wrapper->getValue());
        $this->assertSame('"18446744073709551615"', $wrapper->serializeToJsonString());
        $wrapper->setValue('12');
        $this->assertSame(12, $wrapper->getValue());
        $this->assertSame('"12"', $wrapper->serializeToJsonString());
    }

    public function testTimestampsAreRfc3339(): void
    {
        $concept = new Concept();
        $concept->mergeFromJsonString('{"created_at": "2026-12-01T07:01:10.700Z"}');
        $time = $concept->getCreatedAt();
        $this->assertInstanceOf(Timestamp::class, $time);
        $this->assertSame(1796108470, $time->getSeconds());
        $this->assertSame(700_000_000, $time->getNanos());
        $this->assertSame('2026-12-01 07:01:10.700000', $time->toDateTime()->format('Y-m-d H:i:s.u'));
        // (Read without a value, the concept has 1.0, which it writes.)
        $this->assertSame('{"value":1.0,"created_at":"2026-12-01T07:01:10.700Z"}', $concept->serializeToJsonString());

        $offset = new Timestamp();
        $offset->mergeFromJsonString('"2026-12-01T09:01:10+02:00"');
        $this->assertSame(1796108470, $offset->getSeconds());
        $from = new Timestamp();
        $from->fromDateTime(new \DateTimeImmutable('2026-12-01T07:01:10.000123Z'));
        $this->assertSame('"2026-12-01T07:01:10.000123Z"', $from->serializeToJsonString());
    }

    public function testStructMetadataRoundTrips(): void
    {
        $json = '{"metadata":{"filename":"a.jpg","size":1.5,"tags":["x",true,null],"nested":{"empty":{}},"none":null}}';
        $data = new Data();
        $data->mergeFromJsonString($json);
        $this->assertInstanceOf(Struct::class, $data->getMetadata());
        $this->assertSame('a.jpg', $data->getMetadata()->getFields()['filename']->getStringValue());
        $this->assertSame($json, $data->serializeToJsonString());

        $struct = new Struct();
        $struct->mergeFromJsonString('{"k": "v"}');
        $this->assertSame('{"metadata":{"k":"v"}}', (new Data(['metadata' => $struct]))->serializeToJsonString());
    }

    public function testDurations(): void
    {
        $duration = new \Google\Protobuf\Duration();
        $duration->mergeFromJsonString('"-1.250s"');
        $this->assertSame([-1, -250_000_000], [$duration->getSeconds(), $duration->getNanos()]);
        $this->assertSame('"-1.250s"', $duration->serializeToJsonString());
    }

    public function testAConceptIsWrittenWithItsValueEvenAtZero(): void
    {
        // cl_show_if_empty with cl_default_float: clarifai-grpc's JSON channel always writes it.
        $this->assertSame('{"id":"dog","value":0.0}', (new Concept(['id' => 'dog']))->serializeToJsonString());
        $this->assertSame('{"id":"dog","value":0.5}', (new Concept(['id' => 'dog', 'value' => 0.5]))->serializeToJsonString());
    }

    public function testUserAppIdSetIsTheDocsMessageAndThePackagesClass(): void
    {
        $docs = new \Clarifai\Api\UserAppIDSet(['user_id' => 'clarifai', 'app_id' => 'main']);
        $this->assertInstanceOf(\Clarifai\API\UserAppIDSet::class, $docs);
        $this->assertSame('clarifai', $docs->getUserId());
        $this->assertSame('{"user_id":"clarifai","app_id":"main"}', $docs->serializeToJsonString());
        $this->assertSame('{"user_id":"clarifai","app_id":"main"}', json_encode($docs));

        $old = \Clarifai\API\UserAppIDSet::create('me', 'my-app');
        $this->assertSame(['me', 'my-app'], [$old->userId, $old->appId]);
        $this->assertSame('my-app', (new \Clarifai\API\UserAppIDSet('me', 'my-app'))->getAppId());
        $this->expectException(InvalidArgumentException::class);
        new \Clarifai\API\UserAppIDSet('me');
    }
}
