using System.Runtime.CompilerServices;

// Every native struct is blittable (C bool = one byte); LibraryImport generates all marshalling.
[assembly: DisableRuntimeMarshalling]
