/* Quick exit: placeholder until the quick-exit work lands. ES5 only. */
