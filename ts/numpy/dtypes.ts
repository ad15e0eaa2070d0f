// dtype constants, so `np.zeros([2], np.int32)` reads as in NumPy.
export const float32 = "float32" as const;
export const float64 = "float64" as const;
export const float16 = "float16" as const;
export const int32 = "int32" as const;
export const int16 = "int16" as const;
export const int8 = "int8" as const;
export const uint32 = "uint32" as const;
export const uint16 = "uint16" as const;
export const uint8 = "uint8" as const;
export const bool_ = "bool" as const;
