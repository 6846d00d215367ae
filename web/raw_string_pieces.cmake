# raw_string_pieces(OUT TEXT DELIMITER INDENT): TEXT as C++ raw-string literals of 16,000 bytes at
# most, one per line, each followed by a comma — under the 64 KiB a string literal may portably
# hold. The scripts that embed node_modules files into the binary share it.
function(raw_string_pieces out text delimiter indent)
  string(LENGTH "${text}" length)
  set(pieces "")
  set(offset 0)
  while(offset LESS length)
    string(SUBSTRING "${text}" ${offset} 16000 piece)
    string(APPEND pieces "${indent}R\"${delimiter}(${piece})${delimiter}\",\n")
    math(EXPR offset "${offset} + 16000")
  endwhile()
  set(${out} "${pieces}" PARENT_SCOPE)
endfunction()
