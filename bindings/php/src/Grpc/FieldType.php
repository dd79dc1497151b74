<?php

declare(strict_types=1);

namespace Clarifai\API\Grpc;

/**
 * The field types and flags of the generated message schemas (`Message::FIELDS`). Types keep
 * protobuf's own numbers (descriptor.proto's FieldDescriptorProto.Type).
 *
 * @internal
 */
final class FieldType
{
    public const DOUBLE = 1;
    public const FLOAT = 2;
    public const INT64 = 3;
    public const UINT64 = 4;
    public const INT32 = 5;
    public const FIXED64 = 6;
    public const FIXED32 = 7;
    public const BOOL = 8;
    public const STRING = 9;
    public const MESSAGE = 11;
    public const BYTES = 12;
    public const UINT32 = 13;
    public const ENUM = 14;
    public const SFIXED32 = 15;
    public const SFIXED64 = 16;
    public const SINT32 = 17;
    public const SINT64 = 18;

    /** Flags, in a field's second slot. */
    public const REPEATED = 1;
    public const MAP = 2;
    /** Clarifai's cl_show_if_empty: the API writes the field even when it holds its default. */
    public const SHOW_IF_EMPTY = 4;

    private function __construct()
    {
    }
}
