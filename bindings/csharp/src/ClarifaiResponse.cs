using System;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>
    /// A successful answer: status 10000, 10010 (MIXED_STATUS: some items failed, their statuses
    /// are in <see cref="Json"/>) or 10070 (ACCEPTED). Every property is read when the response
    /// arrives; only <see cref="GetHeader"/> needs the native response, which Dispose frees early
    /// (the finalizer frees it otherwise).
    /// </summary>
    public sealed class ClarifaiResponse : IDisposable
    {
        // The native response's owner: its own handle, or the batch it is borrowed from.
        private readonly SafeHandle owner;
        private readonly IntPtr response;
        private readonly bool ownsOwner;

        internal ClarifaiResponse(ResponseHandle handle) : this(handle, handle.DangerousGetHandle(), true)
        {
        }

        internal ClarifaiResponse(SafeHandle owner, IntPtr response, bool ownsOwner)
        {
            this.owner = owner;
            this.response = response;
            this.ownsOwner = ownsOwner;
            HttpStatus = Native.clarifai_response_http_status(response);
            StatusCode = Native.clarifai_response_status_code(response);
            Description = Utf8.PtrToString(Native.clarifai_response_description(response)) ?? string.Empty;
            Details = Utf8.PtrToString(Native.clarifai_response_details(response)) ?? string.Empty;
            ReqId = Utf8.PtrToString(Native.clarifai_response_req_id(response)) ?? string.Empty;
            Json = Utf8.PtrToString(Native.clarifai_response_json(response)) ?? string.Empty;
        }

        /// <summary>The HTTP status: 200, or 202 for ACCEPTED.</summary>
        public int HttpStatus { get; private set; }

        /// <summary>The Clarifai status code: 10000, 10010 or 10070.</summary>
        public uint StatusCode { get; private set; }

        /// <summary>The status description, or "".</summary>
        public string Description { get; private set; }

        /// <summary>The status details, or "".</summary>
        public string Details { get; private set; }

        /// <summary>The request id, or "".</summary>
        public string ReqId { get; private set; }

        /// <summary>The whole body as JSON text, status included.</summary>
        public string Json { get; private set; }

        /// <summary>True for MIXED_STATUS (10010): the call succeeded but some items failed.</summary>
        public bool IsMixedStatus
        {
            get { return StatusCode == 10010; }
        }

        /// <summary>A response header (name case-insensitive), or null.</summary>
        /// <exception cref="ObjectDisposedException">after Dispose</exception>
        public string GetHeader(string name)
        {
            byte[] n = Utf8.Arg(name, "name");
            bool added = false;
            try
            {
                owner.DangerousAddRef(ref added);
                return Utf8.PtrToString(Native.clarifai_response_header(response, n));
            }
            finally
            {
                if (added)
                    owner.DangerousRelease();
            }
        }

        /// <summary>Frees the native response now; the properties stay readable.</summary>
        public void Dispose()
        {
            if (ownsOwner)
                owner.Dispose();
        }

        /// <summary>Status, description and req_id, for logs.</summary>
        public override string ToString()
        {
            return "ClarifaiResponse(" + StatusCode + " " + Description + ", req_id " + ReqId + ")";
        }

        /// <summary>Responses are read through raw pointers: a response may be borrowed from a batch.</summary>
        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern ushort clarifai_response_http_status(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_response_status_code(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_response_description(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_response_details(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_response_req_id(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_response_json(IntPtr resp);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_response_header(IntPtr resp, byte[] name);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_response_free(IntPtr resp);
        }
    }
}
